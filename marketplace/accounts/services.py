"""Changes a person makes to their own account."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User, normalise_email
from marketplace.audit import services as audit
from marketplace.auth import tokens
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.i18n import LANGUAGES
from marketplace.links import url_for_email
from marketplace.mail.services import queue_email


class EmailTaken(Exception):
    """Another account uses the address."""


def set_language(user: User, locale: str) -> None:
    if locale not in LANGUAGES:
        raise ValueError(locale)
    user.preferred_locale = locale
    db.session.commit()


def set_reminder_emails(user: User, wanted: bool) -> None:
    """Reminders still appear in the app; this only stops or restarts the e-mails."""
    user.reminder_emails = wanted
    db.session.commit()


def _address_in_use(email: str, by_other_than: User) -> bool:
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .where(User.email == email, User.id != by_other_than.id)
        )
    )


def request_email_change(user: User, new_email: str) -> None:
    """Send a confirmation link to the new address; the address changes when it is opened.

    If another account has the address, that address is told so instead; the person asking
    sees the same answer either way.
    """
    new_email = normalise_email(new_email)
    if new_email == user.email:
        return
    locale = user.preferred_locale
    if _address_in_use(new_email, user):
        queue_email(
            new_email,
            _l("This e-mail address already has an account"),
            "email/email_in_use.txt",
            locale=locale,
            name=user.display_name,
        )
    else:
        token = tokens.make("change-email", {"user": user.id, "old": user.email, "new": new_email})
        queue_email(
            new_email,
            _l("Please confirm your new e-mail address"),
            "email/confirm_new_email.txt",
            locale=locale,
            name=user.display_name,
            link=url_for_email("account.confirm_new_email", token=token),
            valid_days=current_app.config["EMAIL_CONFIRMATION_MAX_AGE"] // 86400,
        )
    audit.record("account.email_change_requested", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def confirm_email_change(token: str) -> User:
    """Switch to the address in the link; raises tokens.InvalidLink or EmailTaken."""
    payload = tokens.read("change-email", token, current_app.config["EMAIL_CONFIRMATION_MAX_AGE"])
    user = db.session.get(User, payload.get("user"))
    if user is None or not user.is_active or user.email != payload.get("old"):
        raise tokens.InvalidLink(expired=False)
    old_email, new_email = user.email, payload["new"]
    if _address_in_use(new_email, user):
        raise EmailTaken
    user.email = new_email
    user.email_confirmed_at = utcnow()
    queue_email(
        old_email,
        _l("Your e-mail address was changed"),
        "email/email_changed.txt",
        locale=user.preferred_locale,
        name=user.display_name,
        new_email=new_email,
    )
    audit.record("account.email_changed", actor=user, obj=user, site_id=user.site_id)
    try:
        db.session.commit()
    except sa.exc.IntegrityError as error:
        db.session.rollback()
        raise EmailTaken from error
    return user
