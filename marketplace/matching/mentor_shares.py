"""Mentor shares: the coordinator divides each mentor's free places among the round's
mentoring postings at the mentor's organisation; a mentoring posting takes no more people than
its shares give it, and each pair there names a mentor with a share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from marketplace.accounts.models import User
from marketplace.applications.services import may_mentor_at
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.matching.models import MatchingRound, MentorShare, RoundPosting
from marketplace.matching.places import free_places
from marketplace.matching.rounds import ROUND
from marketplace.mentors.models import MentorProfile
from marketplace.postings.models import Posting, PostingKind
from marketplace.problems import Problem


@dataclass(frozen=True)
class ShareCell:
    """One mentor who may mentor at one mentoring posting of the round, and their share now."""

    round_posting: RoundPosting
    mentor: MentorProfile
    places: int

    @property
    def key(self) -> tuple[int, int]:
        return self.round_posting.id, self.mentor.id


def share_cells(round_: MatchingRound) -> list[ShareCell]:
    """For each mentoring posting of the round, the mentors an offer there may name
    (``may_mentor_at``: its organisation's confirmed mentors who are approved, not paused and
    have a weekly time within the posting's dates); one query for them all."""
    mentoring = [rp for rp in round_.postings if rp.posting.kind == PostingKind.MENTORING]
    if not mentoring:
        return []
    rows = db.session.execute(
        sa.select(RoundPosting.id, MentorProfile)
        .join(Posting, RoundPosting.posting_id == Posting.id)
        .join(MentorProfile, may_mentor_at(Posting))
        .where(RoundPosting.id.in_([rp.id for rp in mentoring]))
        .order_by(RoundPosting.id, MentorProfile.id)
    ).all()
    by_id = {rp.id: rp for rp in mentoring}
    given = {(s.round_posting_id, s.mentor_id): s.places for rp in mentoring for s in rp.shares}
    return [
        ShareCell(by_id[rp_id], mentor, given.get((rp_id, mentor.id), 0)) for rp_id, mentor in rows
    ]


def share_problems(cells: list[ShareCell], shares: Mapping[tuple[int, int], int]) -> dict[int, str]:
    """Mentors whose shares add up to more than their free places, with what to say: by mentor."""
    mentors = {cell.mentor.id: cell.mentor for cell in cells}
    free = free_places(mentors.values())
    totals: dict[int, int] = defaultdict(int)
    for (_rp_id, mentor_id), places in shares.items():
        totals[mentor_id] += places
    return {
        mentor_id: ngettext(
            "%(name)s has %(num)s free place; the shares add up to %(total)s.",
            "%(name)s has %(num)s free places; the shares add up to %(total)s.",
            free[mentor_id],
            name=mentors[mentor_id].user.display_name,
            total=total,
        )
        for mentor_id, total in totals.items()
        if mentor_id in mentors and total > free[mentor_id]
    }


def save_shares(actor: User, round_: MatchingRound, shares: Mapping[tuple[int, int], int]) -> None:
    """Give each (round posting, mentor) its number of places; 0 gives none."""
    ROUND.check(actor, round_, "share_mentors")
    cells = {cell.key: cell for cell in share_cells(round_)}
    if set(shares) - set(cells):
        raise Problem(_("This mentor cannot mentor at this posting."))
    problems = share_problems(list(cells.values()), shares)
    if problems:
        raise Problem(" ".join(problems.values()))
    for rp in round_.postings:
        rp.shares = [
            MentorShare(mentor_id=mentor_id, places=places)
            for (rp_id, mentor_id), places in sorted(shares.items())
            if rp_id == rp.id and places > 0
        ]
    audit.record(
        "matching_round.shares_changed",
        actor=actor,
        obj=round_,
        site_id=round_.site_id,
        summary=", ".join(
            f"{mentor_id}@{rp_id}: {places}"
            for (rp_id, mentor_id), places in sorted(shares.items())
            if places
        ),
    )
    db.session.commit()


def shares_problem(round_: MatchingRound) -> str | None:
    """Why the mentors' shares cannot be used now (a mentor has fewer free places than shares,
    or shares are missing), or None."""
    mentors, totals = {}, defaultdict(int)
    for rp in round_.postings:
        for share in rp.shares:
            mentors[share.mentor_id] = share.mentor
            totals[share.mentor_id] += share.places
    free = free_places(mentors.values())
    for mentor_id, total in totals.items():
        if total > free[mentor_id]:
            return ngettext(
                "%(name)s has %(num)s free place now, fewer than the shares (%(total)s). "
                "Please change the mentors' shares.",
                "%(name)s has %(num)s free places now, fewer than the shares (%(total)s). "
                "Please change the mentors' shares.",
                free[mentor_id],
                name=mentors[mentor_id].user.display_name,
                total=total,
            )
    return None
