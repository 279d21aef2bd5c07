"""Recording and reading audit entries. Callers commit: an entry belongs to their transaction."""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, request

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db

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


def visible_entries_query(viewer: User) -> sa.Select:
    """Newest first; coordinators see their sites' entries, super-admins see everything."""
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if not viewer.has_role(Role.SUPER_ADMIN):
        query = query.where(AuditEntry.site_id.in_(viewer.sites_for(Role.COORDINATOR)))
    return query.options(sa.orm.joinedload(AuditEntry.actor))
