"""Authentication: checking credentials and recording the outcome."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts.models import User, normalise_email
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.mail.services import queue_email

# Checked against when the e-mail is unknown, so both answers take the same time.
_UNKNOWN_USER_HASH: dict[str, str] = {}


def _dummy_hash(method: str) -> str:
    if method not in _UNKNOWN_USER_HASH:
        _UNKNOWN_USER_HASH[method] = generate_password_hash("not a password", method=method)
    return _UNKNOWN_USER_HASH[method]


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Both outcomes are audited."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
    if user is None or not user.check_password(password) or not user.is_active:
        audit.record(
            "login.failure",
            actor=user,
            obj=user,
            site_id=user.site_id if user else None,
            summary=normalise_email(email)[:254],
        )
        db.session.commit()
        return None
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()
    return user


def record_logout(user: User) -> None:
    audit.record("logout", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Part of the token, so a link stops working once the password has changed: single use.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists; the caller answers the same either way."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        return
    token = _reset_serializer().dumps({"user": user.id, "fp": _password_fingerprint(user)})
    queue_email(
        user,
        _l("Choose a new password"),
        "email/password_reset.txt",
        link=url_for("auth.reset_password", token=token, _external=True),
        valid_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )
    audit.record("password.reset_requested", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


class InvalidResetLink(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def user_for_reset_token(token: str) -> User:
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except SignatureExpired as error:
        raise InvalidResetLink(expired=True) from error
    except BadSignature as error:
        raise InvalidResetLink(expired=False) from error
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("fp") != _password_fingerprint(user):
        raise InvalidResetLink(expired=False)
    return user


def reset_password(user: User, new_password: str) -> None:
    user.set_password(new_password, current_app.config["PASSWORD_HASH_METHOD"])
    audit.record("password.reset", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()
