from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.organisations.services import pending_for_review
from marketplace.postings.services import submitted_for_review


def reviewed_sites(user: User) -> set[int] | None:
    """None for a super-admin (every site), else the sites the user coordinates."""
    return None if user.has_role(Role.SUPER_ADMIN) else user.sites_for(Role.COORDINATOR)


def _count(query: sa.Select) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    )


def counts(user: User) -> dict[str, int]:
    sites = reviewed_sites(user)
    return {
        "organisations": _count(pending_for_review(sites)),
        "postings": _count(submitted_for_review(sites)),
    }


def queue(user: User):
    sites = reviewed_sites(user)
    return (
        list(db.session.scalars(pending_for_review(sites).limit(100))),
        list(db.session.scalars(submitted_for_review(sites).limit(100))),
    )
