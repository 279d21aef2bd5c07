from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.i18n import LANGUAGES
from marketplace.mail.models import OutboxMessage

MAX_ATTEMPTS = 5


def queue_email(recipient, subject, template: str, *, locale: str | None = None, **context):
    """Render ``template`` in the recipient's language and add it to the outbox.

    ``recipient`` is a ``User`` (their saved language is used) or an address. ``subject`` is a
    lazy string so that it is translated here, in the recipient's language, not the sender's.
    The caller commits: the message belongs to the caller's transaction.
    """
    address = getattr(recipient, "email", recipient)
    locale = locale if locale in LANGUAGES else recipient_locale(recipient)
    with force_locale(locale):
        message = OutboxMessage(
            recipient=address,
            locale=locale,
            subject=str(subject),
            body_text=render_template(template, recipient=recipient, **context),
        )
    db.session.add(message)
    return message


def recipient_locale(recipient) -> str:
    """The language a person reads: their saved choice, else their site's, else the default."""
    locale = getattr(recipient, "preferred_locale", None)
    if locale in LANGUAGES:
        return locale
    site = getattr(recipient, "site", None)
    return site.default_locale if site else current_app.config["BABEL_DEFAULT_LOCALE"]


def pending_messages(limit: int = 100) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
    )


def _as_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email.set_content(message.body_text)
    # After set_content, which replaces every Content-* header.
    email["Content-Language"] = message.locale
    return email


def _open_smtp(config) -> smtplib.SMTP:
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def deliver_pending(progress=None) -> tuple[int, int]:
    """Send pending messages over SMTP; returns (sent, failed). Each is committed as it goes."""
    config = current_app.config
    messages = pending_messages()
    if not messages:
        return 0, 0
    sent = failed = 0
    with _open_smtp(config) as smtp:
        for message in messages:
            message.attempts += 1
            try:
                smtp.send_message(_as_email(message, config["MAIL_SENDER"]))
            except smtplib.SMTPException as error:
                message.last_error = str(error)[:500]
                failed += 1
            else:
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
            db.session.commit()
            if progress is not None:
                progress.update(1)
    return sent, failed
