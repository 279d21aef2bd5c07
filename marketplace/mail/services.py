"""Writing e-mail into the outbox, and delivering it over SMTP.

Delivery is safe to run from several places at once (cron's ``outbox send``, one or more
``outbox worker`` processes): a sender first claims a batch of due messages in the database,
for a limited time, and only sends what it holds. A sender that dies leaves claims that expire
and are taken over. Each message is marked sent in its own transaction right after the SMTP
server accepts it, so a crash can at worst repeat the one message being sent.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import smtplib
import socket
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.i18n import LANGUAGES
from marketplace.mail.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# How long to wait after each failed attempt. A mail server down for a night is covered; after
# the last delay's attempt fails too, the message is failed for good and shown to coordinators.
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (1, 5, 30, 120, 720))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
BATCH_SIZE = 50
# A claim outlives one message's SMTP conversation (its timeouts included) with room to spare;
# it is renewed before each message, and a message whose claim ran out meanwhile is left to the
# sender that took it over.
SMTP_TIMEOUT_SECONDS = 30
CLAIM_DURATION = timedelta(minutes=5)


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
            status=OutboxStatus.PENDING,
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


# Claiming -----------------------------------------------------------------------------------


def _due(now: datetime) -> sa.ColumnElement[bool]:
    """Waiting and its time has come, or held by a sender whose claim has run out."""
    waiting = sa.and_(
        OutboxMessage.status == OutboxStatus.PENDING,
        sa.or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
    )
    abandoned = sa.and_(
        OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claim_until < now
    )
    return sa.or_(waiting, abandoned)


def count_due() -> int:
    query = sa.select(sa.func.count()).select_from(OutboxMessage).where(_due(utcnow()))
    count = db.session.scalar(query)
    db.session.commit()
    return count


def new_sender_name() -> str:
    """Unique to one delivery run, even for two runs in one process."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(6)}"


def claim_batch(sender: str, limit: int = BATCH_SIZE) -> list[int]:
    """Take up to ``limit`` due messages for ``sender``; returns their ids.

    PostgreSQL skips rows another sender has locked in its own claim (FOR UPDATE SKIP LOCKED).
    SQLite ignores FOR UPDATE but runs each write transaction alone (BEGIN IMMEDIATE, see
    marketplace/db.py). On both, the UPDATE repeats the due condition, so a row claimed in
    between is never claimed twice.
    """
    now = utcnow()
    candidates = (
        sa.select(OutboxMessage.id)
        .where(_due(now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(db.session.scalars(candidates))
    claimed: list[int] = []
    if ids:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), _due(now))
            .values(
                status=OutboxStatus.SENDING, claimed_by=sender, claim_until=now + CLAIM_DURATION
            )
            .execution_options(synchronize_session=False)
        )
        claimed = list(
            db.session.scalars(
                sa.select(OutboxMessage.id)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == sender)
                .order_by(OutboxMessage.id)
            )
        )
    db.session.commit()
    return claimed


def _holding(message_id: int, sender: str):
    return sa.and_(
        OutboxMessage.id == message_id,
        OutboxMessage.claimed_by == sender,
        OutboxMessage.status == OutboxStatus.SENDING,
    )


def _compose_if_still_held(message_id: int, sender: str) -> EmailMessage | None:
    """Extend the claim and compose the e-mail just before sending it. None if the claim ran
    out and another sender took the message over: that one sends it instead.

    The transaction ends before the SMTP conversation starts, so no sender holds the database
    (SQLite's single writer) while waiting on the mail server.
    """
    renewed = db.session.execute(
        sa.update(OutboxMessage)
        .where(_holding(message_id, sender))
        .values(claim_until=utcnow() + CLAIM_DURATION)
        .execution_options(synchronize_session=False)
    )
    email = None
    if renewed.rowcount == 1:
        email = _as_email(db.session.get(OutboxMessage, message_id, populate_existing=True))
    db.session.commit()
    return email


def _unclaim(message: OutboxMessage) -> None:
    message.claimed_by = None
    message.claim_until = None


def _release(message_ids: list[int], sender: str) -> None:
    """Give back messages not tried at all, due at once for the next sender."""
    if message_ids:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.claimed_by == sender)
            .values(status=OutboxStatus.PENDING, claimed_by=None, claim_until=None)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()


# Recording outcomes -------------------------------------------------------------------------


def _record_sent(message_id: int) -> None:
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    now = utcnow()
    message.status = OutboxStatus.SENT
    message.sent_at = message.last_attempt_at = now
    message.attempts += 1
    message.last_error = None
    message.next_attempt_at = None
    _unclaim(message)
    db.session.commit()


def _record_failure(message_id: int, error: Exception) -> None:
    message = db.session.get(OutboxMessage, message_id, populate_existing=True)
    now = utcnow()
    message.attempts += 1
    message.last_attempt_at = now
    message.last_error = describe_error(error)
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        message.next_attempt_at = None
    else:
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now + RETRY_DELAYS[message.attempts - 1]
    _unclaim(message)
    db.session.commit()
    # The message's number only: the log must never carry an address.
    logger.warning(
        "Outbox message %s not delivered (attempt %s of %s): %s",
        message_id,
        message.attempts,
        MAX_ATTEMPTS,
        type(error).__name__,
    )


def describe_error(error: Exception) -> str:
    """A short text for coordinators: the server's code and words when it answered."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        )
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    else:
        text = f"{type(error).__name__}: {error}"
    # PostgreSQL refuses NUL bytes in text.
    return text.replace("\x00", "")[:500]


# Sending ------------------------------------------------------------------------------------


class Delivery(NamedTuple):
    sent: int = 0
    failed: int = 0  # attempts that failed, whether or not they will be tried again


def _as_email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email.set_content(message.body_text)
    # After set_content, which replaces every Content-* header.
    email["Content-Language"] = message.locale
    return email


def _open_smtp(config) -> smtplib.SMTP:
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS)
    if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def _close(smtp: smtplib.SMTP) -> None:
    # Everything sent is already recorded; a connection that fails to say goodbye changes nothing.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.quit()
    smtp.close()


# The connection is gone; other errors concern one message and the next may still go through.
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)


def _send_batch(
    smtp: smtplib.SMTP, batch: list[int], sender: str, should_stop, progress
) -> tuple[Delivery, bool]:
    """Send a claimed batch over one connection; says whether the connection was lost, which
    ends the batch: the messages not tried yet go back untouched."""
    sent = failed = 0
    for position, message_id in enumerate(batch):
        if should_stop():
            _release(batch[position:], sender)
            break
        try:
            email = _compose_if_still_held(message_id, sender)
            if email is not None:
                smtp.send_message(email)
        except CONNECTION_ERRORS as error:
            _record_failure(message_id, error)
            _release(batch[position + 1 :], sender)
            return Delivery(sent, failed + 1), True
        except (smtplib.SMTPException, ValueError) as error:
            # Refused by the server, or a header that cannot be written: this message only.
            _record_failure(message_id, error)
            failed += 1
        else:
            if email is not None:
                _record_sent(message_id)
                sent += 1
        if progress is not None:
            progress.update(1)
    return Delivery(sent, failed), False


def _deliver_batch(batch: list[int], sender: str, should_stop, progress) -> tuple[Delivery, bool]:
    try:
        smtp = _open_smtp(current_app.config)
    except (smtplib.SMTPException, OSError) as error:
        # The server cannot be reached: every message in hand waits for its next attempt.
        for message_id in batch:
            _record_failure(message_id, error)
        return Delivery(failed=len(batch)), True
    try:
        return _send_batch(smtp, batch, sender, should_stop, progress)
    finally:
        _close(smtp)


def deliver_pending(
    progress=None,
    *,
    batch_size: int = BATCH_SIZE,
    should_stop: Callable[[], bool] = lambda: False,
) -> Delivery:
    """Send every message due now, a claimed batch at a time, until none is left, the server
    is lost, or ``should_stop()``. Returns how many were sent and how many attempts failed."""
    sender = new_sender_name()
    sent = failed = 0
    while not should_stop():
        batch = claim_batch(sender, batch_size)
        if not batch:
            break
        delivery, server_lost = _deliver_batch(batch, sender, should_stop, progress)
        sent, failed = sent + delivery.sent, failed + delivery.failed
        if server_lost:
            break  # the rest stay due for the next run, which may find the server back
    return Delivery(sent, failed)


# Failed messages, for coordinators ----------------------------------------------------------


def _to_accounts_of(query: sa.Select, site_ids: set[int] | None) -> sa.Select:
    """Only messages to accounts of ``site_ids`` (all messages for None, a super-admin)."""
    if site_ids is None:
        return query
    return query.join(User, User.email == sa.func.lower(OutboxMessage.recipient)).where(
        User.site_id.in_(site_ids)
    )


def failed_messages(site_ids: set[int] | None) -> sa.Select:
    """Messages given up on, the latest first."""
    query = sa.select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    return _to_accounts_of(query, site_ids).order_by(
        OutboxMessage.last_attempt_at.desc(), OutboxMessage.id.desc()
    )


def visible_message(message_id: int, site_ids: set[int] | None) -> OutboxMessage | None:
    query = sa.select(OutboxMessage).where(OutboxMessage.id == message_id)
    return db.session.scalar(_to_accounts_of(query, site_ids))


def send_again(actor, message: OutboxMessage) -> bool:
    """A failed message starts over, due at once, with its full allowance of attempts. False
    (and nothing changed) for a message that is not failed."""
    if message.status != OutboxStatus.FAILED:
        return False
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = None
    message.last_error = None
    _unclaim(message)
    audit.record("mail.sent_again", actor=actor, obj=message, summary=f"message {message.id}")
    db.session.commit()
    return True
