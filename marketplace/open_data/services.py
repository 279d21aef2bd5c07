"""Tokens for partner systems, and what the API reads: the same published postings the public
list shows, upcoming events, and the anonymous indicators."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import request

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.auth.sessions import hash_token
from marketplace.db import utcnow
from marketplace.events.models import Event
from marketplace.extensions import db
from marketplace.indicators.services import api_figures, default_period
from marketplace.open_data.models import ApiToken
from marketplace.problems import NotAllowed
from marketplace.sites.models import Site
from marketplace.sites.services import all_sites

# A partner system reads the indicators at most this often; a token's last use is written no
# more often than this, so reading is not a write on every request.
LAST_USED_EVERY_SECONDS = 60


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def may_manage(user: User) -> bool:
    return user.has_role(Role.SUPER_ADMIN)


def create(actor: User, name: str, site: Site | None) -> NewToken:
    if not may_manage(actor):
        raise NotAllowed
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        name=name, site_id=site.id if site else None, token_hash=hash_token(secret),
        created_by_id=actor.id,
    )  # fmt: skip
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor=actor, obj=token, site_id=token.site_id, summary=name)
    db.session.commit()
    return NewToken(token, secret)


def revoke(actor: User, token: ApiToken) -> None:
    if not may_manage(actor):
        raise NotAllowed
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            "api_token.revoked", actor=actor, obj=token, site_id=token.site_id, summary=token.name
        )
        db.session.commit()


def tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            sa.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
        )
    )


def token_from_request() -> ApiToken | None:
    """The live token in ``Authorization: Bearer …``, or None."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    token = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == hash_token(secret.strip()), ApiToken.revoked_at.is_(None)
        )
    )
    if token is not None:
        now = utcnow()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
            LAST_USED_EVERY_SECONDS
        ):
            token.last_used_at = now
            db.session.commit()
    return token


def indicators(site: Site | None, start: date | None, end: date | None) -> dict:
    """The anonymous figures of one site (None: all of them) for the period; a day left out is
    the default period's (the programme so far)."""
    sites = [site] if site else all_sites()
    if not (start and end):
        first, last = default_period(sites, datetime.now(UTC))
        end = end or last
        start = start or min(first, end)
    return {
        "site": site.slug if site else None,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "indicators": api_figures({s.id for s in sites}, start, end),
    }


def upcoming_events(site_id: int | None, start, end) -> sa.Select:
    """Public events not over yet (or in the days asked for), soonest first."""
    query = sa.select(Event).where(Event.public.is_(True)).order_by(Event.starts_at, Event.id)
    if start is None and end is None:
        query = query.where(Event.ends_at >= utcnow())
    if start is not None:
        query = query.where(Event.starts_at >= start)
    if end is not None:
        query = query.where(Event.starts_at < end)
    if site_id is not None:
        query = query.where(Event.site_id == site_id)
    return query
