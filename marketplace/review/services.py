from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.authz import coordinated_sites as reviewed_sites
from marketplace.extensions import db
from marketplace.mentors.services import submitted_for_review as mentors_for_review
from marketplace.organisations.services import pending_for_review
from marketplace.pagination import paginate
from marketplace.participants.services import submitted_for_review as participants_for_review
from marketplace.postings.services import submitted_for_review


def _count(query: sa.Select) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    )


def approvals_waiting(user: User) -> int:
    # Imported here: applications build on the review queue's modules, not the reverse.
    from marketplace.applications.services import waiting_for_approval

    return _count(waiting_for_approval(reviewed_sites(user)))


def counts(user: User) -> dict[str, int]:
    sites = reviewed_sites(user)
    return {
        "organisations": _count(pending_for_review(sites)),
        "postings": _count(submitted_for_review(sites)),
        "mentors": _count(mentors_for_review(sites)),
        "participants": _count(participants_for_review(sites)),
    }


# The queue's sections, each a query of what waits, oldest first.
SECTIONS = {
    "organisations": pending_for_review,
    "postings": submitted_for_review,
    "participants": participants_for_review,
    "mentors": mentors_for_review,
}


def queue(user: User, section: str | None, page: int) -> dict:
    """A page of each section: page ``page`` of the section named, the first of the others."""
    sites = reviewed_sites(user)
    return {
        name: paginate(query(sites), page if name == section else 1)
        for name, query in SECTIONS.items()
    }
