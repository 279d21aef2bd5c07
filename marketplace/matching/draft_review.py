"""Reviewing a matching round's draft: the coordinator locks a pair (kept at the next run) or
removes it (forbidden at the next run), and reads the pairs in order, who has no pair and why,
the run's figures and the ranks the engine read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.applications.models import Application
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.matching import engine
from marketplace.matching.models import MatchingRound, RoundEntry, RoundPair, UnmatchedParticipant
from marketplace.matching.rounds import ROUND
from marketplace.mentors.models import MentorProfile
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting

# Locking and removing pairs -----------------------------------------------------------------------


def _edit_pair(actor: User, pair: RoundPair, *, locked: bool, removed: bool, action: str) -> None:
    ROUND.check(actor, pair.round, "edit_pairs")
    pair.locked, pair.removed = locked, removed
    audit.record(action, actor=actor, obj=pair.round, site_id=pair.round.site_id,
                 summary=str(pair.application_id))  # fmt: skip
    db.session.commit()


def lock(actor: User, pair: RoundPair) -> None:
    """Keep the pair at the next run; its place is taken before the engine runs."""
    _edit_pair(actor, pair, locked=True, removed=False, action="matching_round.pair_locked")


def unlock(actor: User, pair: RoundPair) -> None:
    _edit_pair(actor, pair, locked=False, removed=False, action="matching_round.pair_unlocked")


def remove(actor: User, pair: RoundPair) -> None:
    """Forbid the pair at the next run (the posting no longer counts the applicant)."""
    _edit_pair(actor, pair, locked=False, removed=True, action="matching_round.pair_removed")


def restore(actor: User, pair: RoundPair) -> None:
    _edit_pair(actor, pair, locked=False, removed=False, action="matching_round.pair_restored")


# Reading the draft --------------------------------------------------------------------------------


def _in_order(query: sa.Select, round_: MatchingRound) -> sa.Select:
    """The round's pairs by posting, each posting's best-ranked first."""
    entry = sa.orm.aliased(RoundEntry)
    return (
        query.join(Application, RoundPair.application_id == Application.id)
        .join(Posting, Application.posting_id == Posting.id)
        .outerjoin(
            entry, sa.and_(entry.round_id == round_.id, entry.application_id == Application.id)
        )
        .where(RoundPair.round_id == round_.id)
        .order_by(Posting.title, Posting.id, entry.posting_position, RoundPair.id)
    )


def pairs_page_query(round_: MatchingRound) -> sa.Select:
    """The round's pairs in order, with what a row shows."""
    participant = sa.orm.joinedload(RoundPair.application).joinedload(Application.participant)
    return _in_order(sa.select(RoundPair), round_).options(
        participant.joinedload(ParticipantProfile.user),
        sa.orm.joinedload(RoundPair.application).joinedload(Application.posting),
        sa.orm.joinedload(RoundPair.mentor).joinedload(MentorProfile.user),
    )


def pair_ids(round_: MatchingRound) -> list[int]:
    """The round's pairs not removed, in the draft's order (by posting, best-ranked first)."""
    return list(
        db.session.scalars(
            _in_order(sa.select(RoundPair.id), round_).where(RoundPair.removed.is_(False))
        )
    )


def unmatched_page_query(round_: MatchingRound) -> sa.Select:
    return (
        sa.select(UnmatchedParticipant)
        .join(ParticipantProfile, UnmatchedParticipant.participant_id == ParticipantProfile.id)
        .join(User, ParticipantProfile.user_id == User.id)
        .where(UnmatchedParticipant.round_id == round_.id)
        .order_by(User.display_name, UnmatchedParticipant.id)
        .options(
            sa.orm.joinedload(UnmatchedParticipant.participant).joinedload(ParticipantProfile.user)
        )
    )


REASON_TEXTS = {
    engine.Reason.FILLED_BY_HIGHER: lambda title: _(
        "%(title)s: every place went to applicants it ranked higher", title=title
    ),
    engine.Reason.NOT_RANKED: lambda title: _(
        "%(title)s: did not rank this applicant (not on its shortlist)", title=title
    ),
}


def explain(
    unmatched: UnmatchedParticipant, titles: Mapping[int, str], removed: set[tuple[int, int]]
) -> list[str]:
    """Why the participant has no pair, in plain words, one line per posting they ranked."""
    if not unmatched.reasons:
        return [_("Ranked no posting in this round.")]
    lines = []
    for posting_id, reason in unmatched.reasons:
        title = titles.get(posting_id, "—")
        if (unmatched.participant_id, posting_id) in removed:
            lines.append(_("%(title)s: you removed this pair", title=title))
        else:
            lines.append(REASON_TEXTS[engine.Reason(reason)](title))
    return lines


def removed_pairs(round_: MatchingRound) -> set[tuple[int, int]]:
    """(participant, posting) of the pairs removed by the coordinator, in one query."""
    return set(
        db.session.execute(
            sa.select(Application.participant_id, Application.posting_id)
            .join(RoundPair, RoundPair.application_id == Application.id)
            .where(RoundPair.round_id == round_.id, RoundPair.removed.is_(True))
        ).all()
    )


@dataclass(frozen=True)
class Summary:
    participants: int
    postings: int
    matched: int
    unmatched: int


def summary(round_: MatchingRound) -> Summary:
    """The last run's figures, counted in one query."""
    pairs = (
        sa.select(sa.func.count(RoundPair.id))
        .where(RoundPair.round_id == round_.id, RoundPair.removed.is_(False))
        .scalar_subquery()
    )
    unmatched = (
        sa.select(sa.func.count(UnmatchedParticipant.id))
        .where(UnmatchedParticipant.round_id == round_.id)
        .scalar_subquery()
    )
    matched, left = db.session.execute(sa.select(pairs, unmatched)).one()
    return Summary(matched + left, len(round_.postings), matched, left)


def entries_query(round_: MatchingRound) -> sa.Select:
    """The ranks the last run read: each application in it, by participant and their order."""
    return (
        sa.select(RoundEntry)
        .join(Application, RoundEntry.application_id == Application.id)
        .join(ParticipantProfile, Application.participant_id == ParticipantProfile.id)
        .join(User, ParticipantProfile.user_id == User.id)
        .where(
            RoundEntry.round_id == round_.id,
            sa.or_(
                RoundEntry.participant_position.is_not(None),
                RoundEntry.posting_position.is_not(None),
            ),
        )
        .order_by(User.display_name, ParticipantProfile.id, RoundEntry.participant_position)
        .options(
            sa.orm.joinedload(RoundEntry.application)
            .joinedload(Application.participant)
            .joinedload(ParticipantProfile.user),
            sa.orm.joinedload(RoundEntry.application).joinedload(Application.posting),
        )
    )
