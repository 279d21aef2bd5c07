"""A matching round's draft: the round's inputs gathered as they are now, the engine run on
them, and its answer kept (the pairs, with a mentor from the shares, and those left without a
pair, with the engine's reasons). Locked pairs are kept outside the engine and removed ones are
forbidden to it; see ``draft_review``."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from marketplace.accounts.models import User
from marketplace.applications.models import Application, ApplicationStatus
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.matching import engine
from marketplace.matching.mentor_shares import shares_problem
from marketplace.matching.models import MatchingRound, RoundEntry, RoundPair, UnmatchedParticipant
from marketplace.matching.places import open_places
from marketplace.matching.ranking import RANKABLE, entries_for, tie_key
from marketplace.matching.rounds import ROUND
from marketplace.postings.models import PostingKind, PostingStatus
from marketplace.problems import Problem

# The inputs the engine sees -----------------------------------------------------------------------


@dataclass
class Inputs:
    """Everything the engine is given, and what is needed to read its answer."""

    choices: dict[int, list[int]]  # participant id → posting ids, first choice first
    rankings: dict[int, list[int]]  # posting id → participant ids, first first
    capacities: dict[int, int]  # posting id → places the engine may fill
    open_places: dict[int, int]  # posting id → open places now
    applications: dict[tuple[int, int], Application]  # (participant, posting) → application
    locked: list[RoundPair] = field(default_factory=list)
    removed: set[int] = field(default_factory=set)  # application ids
    # Each mentoring posting's mentor shares left after the locked pairs: {posting: {mentor: n}}.
    shares: dict[int, dict[int, int]] = field(default_factory=dict)

    @property
    def participants(self) -> set[int]:
        return set(self.choices) | {pair.application.participant_id for pair in self.locked}


def _pairs(round_: MatchingRound) -> list[RoundPair]:
    return list(
        db.session.scalars(
            sa.select(RoundPair)
            .where(RoundPair.round_id == round_.id)
            .options(sa.orm.joinedload(RoundPair.application))
        )
    )


def gather(round_: MatchingRound) -> Inputs:
    """Read the round's inputs as they are now; writes nothing."""
    postings = {rp.posting_id: rp for rp in round_.postings}
    waiting = list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.posting_id.in_(list(postings)), Application.status.in_(RANKABLE))
            .order_by(Application.id)
        )
    )
    entries = entries_for(round_, (a.id for a in waiting))
    pairs = _pairs(round_)
    locked = [
        p
        for p in pairs
        if p.locked
        and p.application.status == ApplicationStatus.SHORTLISTED
        and p.application.posting_id in postings
    ]
    removed = {p.application_id for p in pairs if p.removed}
    locked_people = {p.application.participant_id for p in locked}

    def rank(application: Application, column: str) -> int | None:
        entry = entries.get(application.id)
        return getattr(entry, column) if entry is not None else None

    by_participant: dict[int, list[Application]] = defaultdict(list)
    by_posting: dict[int, list[Application]] = defaultdict(list)
    for application in waiting:
        if application.participant_id in locked_people:
            continue  # kept with their locked pair, outside the engine
        by_participant[application.participant_id].append(application)
        if application.status == ApplicationStatus.SHORTLISTED and application.id not in removed:
            by_posting[application.posting_id].append(application)
    choices = {
        participant: [
            a.posting_id
            for a in sorted(listed, key=lambda a: tie_key(rank(a, "participant_rank"), a))
        ]
        for participant, listed in by_participant.items()
    }
    rankings = {
        posting_id: [
            a.participant_id
            for a in sorted(
                by_posting[posting_id], key=lambda a: tie_key(rank(a, "posting_rank"), a)
            )
        ]
        for posting_id in postings
    }
    places = open_places(rp.posting for rp in postings.values())
    capacities, shares = {}, {}
    for posting_id, rp in postings.items():
        taken = [p for p in locked if p.application.posting_id == posting_id]
        # A posting closed since it was chosen takes nobody.
        capacity = places[posting_id] if rp.posting.status == PostingStatus.PUBLISHED else 0
        if rp.posting.kind == PostingKind.MENTORING:
            left = {s.mentor_id: s.places for s in rp.shares}
            for pair in taken:
                if pair.mentor_id in left:
                    left[pair.mentor_id] -= 1
            shares[posting_id] = {m: n for m, n in left.items() if n > 0}
            capacity = min(capacity, sum(s.places for s in rp.shares))
        capacities[posting_id] = max(capacity - len(taken), 0)
    return Inputs(
        choices=choices,
        rankings=rankings,
        capacities=capacities,
        open_places=places,
        applications={(a.participant_id, a.posting_id): a for a in waiting},
        locked=locked,
        removed=removed,
        shares=shares,
    )


# Running ------------------------------------------------------------------------------------------


@dataclass
class Draft:
    """The engine's answer to one set of inputs, and how long it took."""

    inputs: Inputs
    assignments: dict[int, int]  # participant id → posting id
    unmatched: dict[int, list[tuple[int, str]]]  # participant id → [(posting id, reason)]
    seconds: float

    @property
    def matched(self) -> int:
        return len(self.assignments) + len(self.inputs.locked)


def compute(round_: MatchingRound) -> Draft:
    """Gather the inputs and ask the engine; writes nothing (``flask matching run --dry-run``)."""
    inputs = gather(round_)
    started = time.perf_counter()
    matching = engine.stable_matching(inputs.choices, inputs.rankings, inputs.capacities)
    seconds = time.perf_counter() - started
    return Draft(
        inputs=inputs,
        assignments=dict(matching.assignments),
        unmatched={
            participant: [(posting, str(reason)) for posting, reason in reasons]
            for participant, reasons in engine.explanations(matching).items()
        },
        seconds=seconds,
    )


def run(actor: User | None, round_: MatchingRound) -> Draft:
    """Run the engine on the round's inputs and keep them and its answer as the draft."""
    ROUND.check(actor, round_, "run")
    if not round_.postings:
        raise Problem(_("Please choose the round's postings first."))
    problem = shares_problem(round_)
    if problem:
        raise Problem(problem)
    draft = compute(round_)
    _freeze(round_, draft.inputs)
    _keep_pairs(round_, draft)
    _keep_unmatched(round_, draft)
    round_.runs += 1
    round_.ran_at = utcnow()
    round_.run_milliseconds = round(draft.seconds * 1000)
    try:
        ROUND.take(actor, round_, "run", site_id=round_.site_id)
        audit.record(
            "matching_round.run", actor=actor, obj=round_, site_id=round_.site_id,
            summary=f"participants {len(draft.inputs.participants)}, matched {draft.matched}",
        )  # fmt: skip
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise Problem(_("The round changed while you ran it. Please look at it again.")) from error
    return draft


def _freeze(round_: MatchingRound, inputs: Inputs) -> None:
    """Keep what the engine saw: each posting's open places and capacity, and each application's
    place in its participant's and its posting's strict lists."""
    for rp in round_.postings:
        rp.open_places = inputs.open_places[rp.posting_id]
        rp.capacity = inputs.capacities[rp.posting_id] + sum(
            1 for p in inputs.locked if p.application.posting_id == rp.posting_id
        )
    positions: dict[int, dict[str, int]] = defaultdict(dict)
    for participant, postings in inputs.choices.items():
        for place, posting in enumerate(postings, start=1):
            application = inputs.applications[participant, posting]
            positions[application.id]["participant_position"] = place
    for posting, participants in inputs.rankings.items():
        for place, participant in enumerate(participants, start=1):
            application = inputs.applications[participant, posting]
            positions[application.id]["posting_position"] = place
    entries = db.session.scalars(sa.select(RoundEntry).where(RoundEntry.round_id == round_.id))
    known = {}
    for entry in entries:
        known[entry.application_id] = entry
        entry.participant_position = entry.posting_position = None
    for application_id, values in positions.items():
        entry = known.get(application_id)
        if entry is None:
            entry = RoundEntry(round_id=round_.id, application_id=application_id)
            db.session.add(entry)
        for column, value in values.items():
            setattr(entry, column, value)


def _keep_pairs(round_: MatchingRound, draft: Draft) -> None:
    """Locked pairs stay (those whose application is no longer shortlisted go), removed ones
    stay as the record of what is forbidden; the engine's pairs replace the rest."""
    kept = {p.id for p in draft.inputs.locked}
    for pair in _pairs(round_):
        if not pair.removed and pair.id not in kept:
            db.session.delete(pair)
    db.session.flush()
    place = {
        (participant, posting): number
        for posting, participants in draft.inputs.rankings.items()
        for number, participant in enumerate(participants)
    }
    shares = {posting: dict(left) for posting, left in draft.inputs.shares.items()}
    # Each posting's mentors go to its best-ranked applicants first.
    for participant, posting in sorted(
        draft.assignments.items(), key=lambda item: (item[1], place[item])
    ):
        application = draft.inputs.applications[participant, posting]
        db.session.add(
            RoundPair(
                round_id=round_.id,
                application_id=application.id,
                mentor_id=_take_share(shares.get(posting)),
            )
        )


def _take_share(left: dict[int, int] | None) -> int | None:
    """The first mentor (by id) with places left in the posting's shares, taking one."""
    if not left:
        return None
    mentor_id = min(m for m, n in left.items() if n > 0)
    left[mentor_id] -= 1
    if not left[mentor_id]:
        del left[mentor_id]
    return mentor_id


def _keep_unmatched(round_: MatchingRound, draft: Draft) -> None:
    db.session.execute(
        sa.delete(UnmatchedParticipant).where(UnmatchedParticipant.round_id == round_.id)
    )
    for participant, reasons in sorted(draft.unmatched.items()):
        db.session.add(
            UnmatchedParticipant(
                round_id=round_.id,
                participant_id=participant,
                reasons=[[posting, reason] for posting, reason in reasons],
            )
        )
