"""Setting up, using and turning off the second login step (see the package's docstring)."""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
import segno
import sqlalchemy as sa
from markupsafe import Markup

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.sites.models import Site
from marketplace.two_factor.models import RecoveryCode, SecondFactor

ISSUER = "Mentoring marketplace"
RECOVERY_CODES = 10
# Codes of the step before and after the current one are accepted: phones' clocks drift.
VALID_WINDOW = 1


def factor_of(user: User) -> SecondFactor | None:
    return db.session.scalar(sa.select(SecondFactor).where(SecondFactor.user_id == user.id))


def is_enabled(user: User) -> bool:
    return bool(db.session.scalar(sa.select(_has_factor(user))))


def is_required(user: User) -> bool:
    """Coordinators and super-admins must use it when a site they belong to says so."""
    if not user.has_role(Role.COORDINATOR, Role.SUPER_ADMIN):
        return False
    return bool(db.session.scalar(sa.select(_requiring_site(user))))


def _has_factor(user: User) -> sa.Exists:
    return sa.exists().where(SecondFactor.user_id == user.id)


def _requiring_site(user: User) -> sa.Exists:
    sites = user.sites_for(Role.COORDINATOR) | ({user.site_id} if user.site_id else set())
    return sa.exists().where(Site.id.in_(sites), Site.staff_second_factor.is_(True))


def must_set_up(user: User) -> bool:
    """Required and not yet set up: asked before every request, so one query, and none for
    people who cannot be required."""
    if not user.has_role(Role.COORDINATOR, Role.SUPER_ADMIN):
        return False
    return bool(db.session.scalar(sa.select(sa.and_(_requiring_site(user), ~_has_factor(user)))))


def new_secret() -> str:
    return pyotp.random_base32()


def qr_code(user: User, secret: str) -> Markup:
    """The set-up QR code as inline SVG (no image request, no inline style)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


def _step(totp: pyotp.TOTP, code: str, last_step: int) -> int | None:
    """The step ``code`` belongs to, if it is valid now and newer than ``last_step``."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    current = int(time.time()) // totp.interval
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > last_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_is_right_for_secret(secret: str, code: str) -> bool:
    """For the set-up: the app shows the codes of this new secret."""
    return _step(pyotp.TOTP(secret), code, last_step=0) is not None


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def _recovery_codes() -> list[str]:
    """Ten codes like ``k7q2-9xmf``, easy to copy by hand."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return [
        "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]


def enable(user: User, secret: str) -> list[str]:
    """Turn the second step on with ``secret``; returns the recovery codes, shown only once."""
    db.session.add(SecondFactor(user_id=user.id, secret=secret, enabled_at=utcnow()))
    codes = _replace_recovery_codes(user)
    audit.record("account.second_factor_on", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()
    return codes


def new_recovery_codes(user: User) -> list[str]:
    codes = _replace_recovery_codes(user)
    audit.record("account.recovery_codes_renewed", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = _recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    return codes


def disable(user: User) -> None:
    db.session.execute(sa.delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("account.second_factor_off", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def check(user: User, code: str) -> bool:
    """A code from the app (each at most once) or an unused recovery code (used up now).
    The caller commits."""
    factor = factor_of(user)
    if factor is None:
        return False
    step = _step(pyotp.TOTP(factor.secret), code, factor.last_step)
    if step is not None:
        factor.last_step = step
        return True
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return used.rowcount == 1


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
