"""Server-side sessions: one row per signed-in device.

The cookie (Flask-Login's ``_user_id`` and remember cookie) holds a random token instead of the
user's id. Ending the row ends the session everywhere a copy of the cookie exists, so a replayed
cookie of a logged-out session never works.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from ua_parser import parse as parse_user_agent

from marketplace.accounts.models import User, UserSession
from marketplace.db import utcnow
from marketplace.extensions import db

# last_seen_at is written at most this often, not on every request.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _limits(remember: bool) -> tuple[timedelta, timedelta]:
    """(idle, absolute) lifetime of a session."""
    config = current_app.config
    if remember:
        duration = timedelta(seconds=config["REMEMBER_ME_DURATION"])
        return duration, duration
    return (
        timedelta(seconds=config["SESSION_IDLE_TIMEOUT"]),
        timedelta(seconds=config["SESSION_ABSOLUTE_TIMEOUT"]),
    )


def _is_live(record: UserSession, now: datetime) -> bool:
    idle, absolute = _limits(record.remember)
    return (
        record.ended_at is None
        and now - record.last_seen_at < idle
        and now - record.created_at < absolute
    )


def start(user: User, *, remember: bool) -> UserSession:
    """Open a new session for ``user`` on this device; the caller commits and logs in."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    record = UserSession(
        user=user,
        token_hash=hash_token(token),
        created_at=now,
        last_seen_at=now,
        remember=remember,
        user_agent=request.user_agent.string[:300],
        ip_address=request.remote_addr,
    )
    db.session.add(record)
    user.session_token = token
    return record


def load(token: str) -> User | None:
    """The user of a live session with this token, or None (Flask-Login's user loader)."""
    record = db.session.scalar(
        sa.select(UserSession)
        .where(UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None))
        .options(sa.orm.joinedload(UserSession.user))
    )
    now = utcnow()
    if record is None or not record.user.is_active:
        return None
    if not _is_live(record, now):
        record.ended_at = now
        db.session.commit()
        return None
    if now - record.last_seen_at >= LAST_SEEN_RESOLUTION:
        record.last_seen_at = now
        db.session.commit()
    record.user.session_token = token
    g.user_session_id = record.id
    return record.user


def current_session_id() -> int | None:
    return g.get("user_session_id")


def previous_login_at(user: User) -> datetime | None:
    """When ``user`` last logged in before this session: the login that opened this session is
    no news to them, an earlier one they do not remember is."""
    query = sa.select(sa.func.max(UserSession.created_at)).where(UserSession.user_id == user.id)
    if (current := current_session_id()) is not None:
        query = query.where(UserSession.id != current)
    return db.session.scalar(query)


def end(record: UserSession) -> None:
    record.ended_at = record.ended_at or utcnow()


def end_all(user: User) -> int:
    """End every session of ``user``; returns how many were open. The caller commits."""
    result = db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return result.rowcount


def live_sessions(user: User) -> list[UserSession]:
    """The user's open sessions, most recently used first."""
    now = utcnow()
    records = db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    )
    return [record for record in records if _is_live(record, now)]


def describe_device(user_agent: str) -> str:
    """ "Chrome Mobile · Android", or "" when the browser cannot be recognised."""
    parsed = parse_user_agent(user_agent or "")
    parts = [
        part.family
        for part in (parsed.user_agent, parsed.os)
        if part is not None and part.family != "Other"
    ]
    return " · ".join(parts)
