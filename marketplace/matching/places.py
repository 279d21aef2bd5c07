"""Places in a matching round.

A posting's open places are its places not yet filled and not held by an open offer (offered or
accepted). A mentor's free places are their maximum less their active mentees and less the open
offers naming them. The engine sees one capacity per posting: its open places, and for a
mentoring posting no more than the places its mentors' shares give it. Publishing checks both
again (places may have filled since the run) and sends no offer beyond them.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from marketplace.applications.models import Application, ApplicationStatus, MentorResponse
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.postings.models import Posting

# Offers that hold a place (and a mentor's place) until they are answered.
HOLDING = (ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED)


def open_places(postings: Iterable[Posting]) -> dict[int, int]:
    """Each posting's places neither filled nor held by an open offer, in one query."""
    postings = list(postings)
    held = dict(
        db.session.execute(
            sa.select(Application.posting_id, sa.func.count(Application.id))
            .where(
                Application.posting_id.in_([p.id for p in postings]),
                Application.status.in_(HOLDING),
            )
            .group_by(Application.posting_id)
        ).all()
    )
    return {p.id: max(p.seats - p.filled_seats - held.get(p.id, 0), 0) for p in postings}


def free_places(mentors: Iterable[MentorProfile]) -> dict[int, int]:
    """Each mentor's places neither taken by a mentee nor held by an open offer naming them
    (one they declined holds nothing), in one query."""
    mentors = list(mentors)
    held = dict(
        db.session.execute(
            sa.select(Application.mentor_id, sa.func.count(Application.id))
            .where(
                Application.mentor_id.in_([m.id for m in mentors]),
                Application.status.in_(HOLDING),
                sa.or_(
                    Application.mentor_response.is_(None),
                    Application.mentor_response != MentorResponse.DECLINED,
                ),
            )
            .group_by(Application.mentor_id)
        ).all()
    )
    return {m.id: max(m.max_mentees - m.active_mentees - held.get(m.id, 0), 0) for m in mentors}
