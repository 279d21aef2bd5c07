"""Recording and reading audit entries. Callers commit: an entry belongs to their transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa
from flask import has_request_context, request

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.search import text_matches

SUMMARY_LIMIT = 1000


def record(
    action: str,
    *,
    actor: User | None = None,
    obj=None,
    site_id: int | None = None,
    summary: str = "",
) -> AuditEntry:
    """Add an audit entry to the current transaction.

    ``summary`` is for people reading the log later: a short before/after description, never a
    password or other secret.
    """
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        site_id=site_id,
        summary=summary[:SUMMARY_LIMIT],
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilters:
    """What the log is narrowed to; dates are calendar days in ``zone``, both included."""

    person: str = ""
    actor_id: int | None = None
    object_type: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    zone: tzinfo = UTC


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def visible_entries_query(viewer: User, filters: AuditFilters | None = None) -> sa.Select:
    """Newest first; coordinators see their sites' entries, super-admins see everything."""
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if not viewer.has_role(Role.SUPER_ADMIN):
        query = query.where(AuditEntry.site_id.in_(viewer.sites_for(Role.COORDINATOR)))
    filters = filters or AuditFilters()
    if filters.person.strip():
        people = sa.select(User.id).where(text_matches(User, filters.person))
        query = query.where(AuditEntry.actor_id.in_(people))
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEntry.created_at >= _start_of(filters.date_from, filters.zone))
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        query = query.where(AuditEntry.created_at < _start_of(next_day, filters.zone))
    return query.options(sa.orm.joinedload(AuditEntry.actor))
