"""Publishing a matching round: each pair becomes an offer through the applications' own
workflow, within the places left now, and everyone concerned is told.

Publishing once. The round's row carries a version that every change checks (UPDATE … WHERE
version = n): of two coordinators publishing at the same instant, one finds nothing to change
and is told. Besides, an application already offered cannot be offered again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm.exc import StaleDataError

from marketplace.accounts.models import User
from marketplace.applications import services as applications
from marketplace.applications.models import Application
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.matching.draft_review import pair_ids
from marketplace.matching.models import MatchingRound, PairOutcome, RoundPair, UnmatchedParticipant
from marketplace.matching.places import free_places, open_places
from marketplace.matching.rounds import ROUND
from marketplace.notifications.services import notify
from marketplace.organisations.services import staff_of
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import PostingKind
from marketplace.problems import Refused, WrongStatus


@dataclass
class Published:
    offered: int = 0
    not_offered: list[str] = field(default_factory=list)


def publish(actor: User, round_: MatchingRound) -> Published:
    """Turn the pairs into offers through the applications' workflow (which tells the
    participant and the mentor), within the posting's capacity and places and each mentor's
    share and free places, checked now. A pair that cannot be offered is reported, not fatal."""
    ROUND.check(actor, round_, "publish")
    to_offer = pair_ids(round_)
    postings = {rp.posting_id: rp for rp in round_.postings}
    places = open_places(rp.posting for rp in postings.values())
    posting_left = {pid: min(rp.capacity or 0, places[pid]) for pid, rp in postings.items()}
    shares: dict[tuple[int, int], int] = {
        (rp.posting_id, s.mentor_id): s.places for rp in postings.values() for s in rp.shares
    }
    mentors = {s.mentor_id: s.mentor for rp in postings.values() for s in rp.shares}
    mentor_left = free_places(mentors.values())
    round_.published_at, round_.published_by_id = utcnow(), actor.id
    try:
        ROUND.take(actor, round_, "publish", site_id=round_.site_id)
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise WrongStatus() from error
    report = Published()
    offered_at: dict[int, int] = defaultdict(int)
    for pair_id in to_offer:
        pair = db.session.get(RoundPair, pair_id)
        application = pair.application
        posting_id = application.posting_id
        mentoring = application.posting.kind == PostingKind.MENTORING
        key = (posting_id, pair.mentor_id)
        if posting_left[posting_id] < 1:
            refusal = _("No open place is left at this posting.")
        elif mentoring and (shares.get(key, 0) < 1 or mentor_left.get(pair.mentor_id, 0) < 1):
            refusal = _("The mentor has no free place left.")
        else:
            refusal = _offer(actor, pair_id)
        pair = db.session.get(RoundPair, pair_id)
        if refusal is None:
            posting_left[posting_id] -= 1
            offered_at[posting_id] += 1
            if mentoring:
                shares[key] -= 1
                mentor_left[pair.mentor_id] -= 1
            report.offered += 1
            continue
        pair.outcome, pair.outcome_note = PairOutcome.NOT_OFFERED, refusal[:500]
        db.session.commit()
        report.not_offered.append(
            _(
                "%(name)s at %(title)s: %(reason)s",
                name=pair.application.participant.user.display_name,
                title=pair.application.posting.title,
                reason=refusal,
            )
        )
    _tell_after_publishing(db.session.get(MatchingRound, round_.id), offered_at)
    return report


def _offer(actor: User, pair_id: int) -> str | None:
    """Offer the pair's application on the posting's terms, naming the pair's mentor; the offer
    and the pair's outcome are committed together. The refusal's message, or None."""
    pair = db.session.get(RoundPair, pair_id)
    pair.outcome, pair.outcome_note = PairOutcome.OFFERED, ""
    try:
        applications.offer(actor, pair.application, pair.mentor)
    except Refused as refused:
        db.session.rollback()
        return refused.message
    return None


def _tell_after_publishing(round_: MatchingRound, offered_at: Mapping[int, int]) -> None:
    for rp in round_.postings:
        count = offered_at.get(rp.posting_id, 0)
        if not count:
            continue
        notify(
            staff_of(rp.posting.organisation),
            lambda count=count, title=rp.posting.title: ngettext(
                "The matching round made %(num)s offer for %(title)s.",
                "The matching round made %(num)s offers for %(title)s.",
                count,
                title=title,
            ),
            link=path_for("applications.for_posting", posting_id=rp.posting_id),
        )
    not_offered = (
        sa.select(Application.participant_id)
        .join(RoundPair, RoundPair.application_id == Application.id)
        .where(RoundPair.round_id == round_.id, RoundPair.outcome == PairOutcome.NOT_OFFERED)
    )
    unmatched = sa.select(UnmatchedParticipant.participant_id).where(
        UnmatchedParticipant.round_id == round_.id
    )
    left_out = db.session.scalars(
        sa.select(User)
        .join(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .where(ParticipantProfile.id.in_(unmatched.union(not_offered)))
    )
    notify(
        left_out,
        lambda: _(
            "The matching round is over. This time no place was found for you; your "
            "applications stay open."
        ),
        link=path_for("applications.mine"),
    )
    audit.record("matching_round.offers_sent", actor=None, obj=round_, site_id=round_.site_id,
                 summary=str(sum(offered_at.values())))  # fmt: skip
    db.session.commit()
