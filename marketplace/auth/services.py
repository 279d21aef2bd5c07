"""Registration, e-mail confirmation, login and passwords: each change checked and audited."""

from __future__ import annotations

import enum
import re

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts.models import (
    ConsentRecord,
    RoleGrant,
    User,
    UserSession,
    normalise_email,
)
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.auth import sessions, tokens
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import url_for_email
from marketplace.mail.services import queue_email
from marketplace.sites.models import Site

PRIVACY_NOTICE_VERSION = "2026-12"
# What a person may say they are when registering; the role is granted at the chosen site.
REGISTRATION_CHOICES = (
    (Role.PARTICIPANT, _l("I am a young person looking for mentoring or work")),
    (Role.EMPLOYER_STAFF, _l("I work for an employer")),
    (Role.MENTOR, _l("I want to be a mentor")),
)
REGISTRATION_ROLES = tuple(role for role, _label in REGISTRATION_CHOICES)

# Checked against when the e-mail is unknown, so both answers take the same time.
_UNKNOWN_USER_HASH: dict[str, str] = {}


def _dummy_hash(method: str) -> str:
    if method not in _UNKNOWN_USER_HASH:
        _UNKNOWN_USER_HASH[method] = generate_password_hash("not a password", method=method)
    return _UNKNOWN_USER_HASH[method]


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


# Registration and confirmation ------------------------------------------------------------------


def register(
    *, email: str, password: str, display_name: str, role: Role, site: Site, locale: str
) -> None:
    """Create an unconfirmed account and e-mail a confirmation link.

    If the address already has an account, its owner gets an e-mail instead, and the caller
    gives the same answer, so the form cannot be used to find out who has an account.
    """
    if role not in REGISTRATION_ROLES:
        raise ValueError(f"{role} cannot be chosen at registration")
    # Hashed whether or not the address has an account: both answers cost the same work, so
    # the time the answer takes does not tell either.
    password_hash = generate_password_hash(password, method=_hash_method())
    existing = find_user(email)
    if existing is not None:
        _tell_owner_about_second_registration(existing)
        return
    now = utcnow()
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        site=site,
        preferred_locale=locale,
    )
    user.password_hash = password_hash
    user.role_grants.append(RoleGrant(role=role, site=site))
    db.session.add(user)
    db.session.add(
        ConsentRecord(
            user=user, kind="privacy_notice", version=PRIVACY_NOTICE_VERSION, given_at=now
        )
    )
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        # Someone registered the same address a moment ago: answer as for any existing account.
        db.session.rollback()
        existing = find_user(email)
        if existing is not None:
            _tell_owner_about_second_registration(existing)
        return
    audit.record("account.registered", actor=user, obj=user, site_id=site.id, summary=role.value)
    send_confirmation(user)
    db.session.commit()


def _tell_owner_about_second_registration(user: User) -> None:
    queue_email(
        user,
        _l("Someone tried to register with your e-mail address"),
        "email/already_registered.txt",
        login_link=url_for_email("auth.login"),
        reset_link=url_for_email("auth.forgot_password"),
    )
    audit.record("account.registration_repeated", obj=user, site_id=user.site_id)
    db.session.commit()


def send_confirmation(user: User) -> None:
    token = tokens.make("confirm-email", {"user": user.id, "email": user.email})
    queue_email(
        user,
        _l("Please confirm your e-mail address"),
        "email/confirm_email.txt",
        link=url_for_email("auth.confirm_email", token=token),
        valid_days=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"] // 86400,
    )


def resend_confirmation(email: str) -> None:
    user = find_user(email)
    if user is not None and user.is_active and not user.email_confirmed:
        send_confirmation(user)
        db.session.commit()


def confirm_email(token: str) -> User:
    """Mark the address in the link as confirmed; raises tokens.InvalidLink."""
    payload = tokens.read("confirm-email", token, current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    user = db.session.get(User, payload.get("user"))
    if user is None or user.email != payload.get("email"):
        raise tokens.InvalidLink(expired=False)
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
        audit.record("account.email_confirmed", actor=user, obj=user, site_id=user.site_id)
        db.session.commit()
    return user


# Login -----------------------------------------------------------------------------------------


class LoginOutcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    UNCONFIRMED = "unconfirmed"


class LoginFailure(enum.StrEnum):
    """Why a login failed, as the audit log keeps it (the password typed is never kept)."""

    WRONG_PASSWORD = "wrong_password"
    UNKNOWN_EMAIL = "unknown_email"
    DEACTIVATED = "deactivated"
    THROTTLED = "throttled"


# What may follow the "@" of an address kept in the log: a domain name, nothing else (people
# sometimes type their password into the e-mail field).
DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}$")


def authenticate(email: str, password: str) -> tuple[LoginOutcome, User | None]:
    """Check credentials; every outcome is audited. Wrong and unknown look the same."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(_hash_method()), password)
        failure = LoginFailure.UNKNOWN_EMAIL
    else:
        password_matches = user.check_password(password)  # checked for every account alike
        if not user.is_active:
            failure = LoginFailure.DEACTIVATED
        else:
            failure = None if password_matches else LoginFailure.WRONG_PASSWORD
    if failure is not None:
        record_failed_login(failure, email, user)
        return LoginOutcome.WRONG, None
    if not user.email_confirmed:
        audit.record("login.unconfirmed", actor=user, obj=user, site_id=user.site_id)
        db.session.commit()
        return LoginOutcome.UNCONFIRMED, user
    return LoginOutcome.OK, user


def record_failed_login(failure: LoginFailure, email: str, user: User | None) -> None:
    """Audit a failed login, committed at once: the answer to a failed login keeps nothing else.

    For an address without an account only its domain is kept: the log collects no personal data
    of people who are not in the programme, and a pattern (guesses at one domain) still shows.
    """
    summary = failure.value
    if user is None:
        _name, at, domain = normalise_email(email).rpartition("@")
        if at and DOMAIN.match(domain):
            summary = f"{failure.value} @{domain[:100]}"
    audit.record(
        "login.failure",
        actor=user,
        obj=user,
        site_id=user.site_id if user else None,
        summary=summary,
    )
    db.session.commit()


def record_throttled_login(email: str) -> None:
    """Audit a login post the limits refused before any password was checked."""
    email = email[:254].replace("\x00", "")  # unchecked input: the form never validated it
    record_failed_login(LoginFailure.THROTTLED, email, find_user(email))


def open_session(user: User, *, remember: bool, second_step: bool = False) -> None:
    """Start a new server-side session for a person who has just proved who they are — or, with
    ``second_step``, who gave the right password and must still give a code (two_factor/): the
    session exists then, but counts as a login only once ``finish_login`` runs."""
    sessions.start(user, remember=remember)
    if not second_step:
        finish_login(user)
    db.session.commit()


def finish_login(user: User) -> None:
    """The caller commits."""
    user.last_login_at = utcnow()
    audit.record("login.success", actor=user, obj=user, site_id=user.site_id)


def log_out(user: User) -> None:
    session_id = sessions.current_session_id()
    if session_id is not None:
        sessions.end(db.session.get(UserSession, session_id))
    audit.record("logout", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def log_out_everywhere(user: User) -> None:
    ended = sessions.end_all(user)
    audit.record(
        "logout.everywhere", actor=user, obj=user, site_id=user.site_id, summary=str(ended)
    )
    db.session.commit()


def end_other_session(user: User, session_id: int) -> bool:
    """End one of the user's own sessions; False if it is not theirs or already ended."""
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != user.id or record.ended_at is not None:
        return False
    sessions.end(record)
    audit.record(
        "logout.device",
        actor=user,
        obj=user,
        site_id=user.site_id,
        summary=sessions.describe_device(record.user_agent),
    )
    db.session.commit()
    return True


# Passwords -------------------------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """E-mail a reset link if the account exists; the caller answers the same either way."""
    user = find_user(email)
    if user is None or not user.is_active:
        return
    token = tokens.make(
        "password-reset", {"user": user.id, "fp": tokens.fingerprint(user.password_hash)}
    )
    queue_email(
        user,
        _l("Choose a new password"),
        "email/password_reset.txt",
        link=url_for_email("auth.reset_password", token=token),
        valid_minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
    )
    audit.record("password.reset_requested", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def user_for_reset_token(token: str) -> User:
    """The person a reset link was made for; raises tokens.InvalidLink."""
    payload = tokens.read("password-reset", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("user"))
    if (
        user is None
        or not user.is_active
        or payload.get("fp") != tokens.fingerprint(user.password_hash)
    ):
        raise tokens.InvalidLink(expired=False)
    return user


def reset_password(user: User, new_password: str) -> None:
    """Set a new password from a reset link. It proves the address too; all sessions end."""
    user.set_password(new_password, _hash_method())
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    sessions.end_all(user)
    audit.record("password.reset", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def change_password(user: User, new_password: str, *, remember: bool) -> None:
    """Change the password of a signed-in person: every session ends, this device gets a new one."""
    user.set_password(new_password, _hash_method())
    sessions.end_all(user)
    sessions.start(user, remember=remember)
    queue_email(
        user,
        _l("Your password was changed"),
        "email/password_changed.txt",
        reset_link=url_for_email("auth.forgot_password"),
    )
    audit.record("password.changed", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def current_session_remembered() -> bool:
    session_id = sessions.current_session_id()
    record = db.session.get(UserSession, session_id) if session_id else None
    return bool(record and record.remember)
