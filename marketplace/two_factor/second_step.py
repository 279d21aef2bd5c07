"""The login's second step. After the right password the session row exists (auth/sessions.py)
but its token is kept aside in the browser's session under ``PENDING``, not given to
Flask-Login, so nothing opens until the code is right. The step expires after ten minutes or
five wrong codes."""

from __future__ import annotations

from datetime import timedelta

from flask import session

from marketplace.accounts.models import User, UserSession
from marketplace.auth import sessions
from marketplace.db import utcnow
from marketplace.extensions import db

PENDING = "second_step"
LIFETIME = timedelta(minutes=10)
MOST_TRIES = 5


def begin(user: User, remember: bool, next_page: str) -> None:
    """Keep the new session's token aside; the caller sends the person to the code page."""
    session[PENDING] = {"token": user.session_token, "remember": remember, "next": next_page}
    session[PENDING + "_tries"] = 0


def pending() -> tuple[UserSession, dict] | None:
    """The session waiting for its code, if it is still young and open."""
    waiting = session.get(PENDING)
    if not waiting:
        return None
    record = db.session.scalar(
        db.select(UserSession).where(
            UserSession.token_hash == sessions.hash_token(waiting["token"]),
            UserSession.ended_at.is_(None),
        )
    )
    if record is None or utcnow() - record.created_at > LIFETIME or not record.user.is_active:
        abandon()
        return None
    return record, waiting


def wrong_code() -> bool:
    """Count a wrong code; True when the tries are used up (the waiting session then ends)."""
    session[PENDING + "_tries"] = session.get(PENDING + "_tries", 0) + 1
    if session[PENDING + "_tries"] < MOST_TRIES:
        return False
    abandon()
    return True


def abandon() -> None:
    waiting = session.pop(PENDING, None)
    session.pop(PENDING + "_tries", None)
    if waiting:
        record = db.session.scalar(
            db.select(UserSession).where(
                UserSession.token_hash == sessions.hash_token(waiting["token"])
            )
        )
        if record is not None:
            sessions.end(record)
            db.session.commit()


def done() -> None:
    session.pop(PENDING, None)
    session.pop(PENDING + "_tries", None)
