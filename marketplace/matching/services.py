"""Matching rounds: a coordinator chooses postings of a site and divides shared mentors among
them, participants and the postings' staff rank, the engine proposes pairs, the coordinator
locks or removes pairs and runs again, then publishes: each pair becomes an offer through the
applications' own workflow.

Ties. The engine needs strict preferences, so equal or missing numbers are ordered by earlier
application, then by application id: a participant's applications without a number come after
the numbered ones, in the order they applied, and so do a posting's shortlisted applicants.

Capacity. A posting's open places are its places not yet filled and not held by an open offer
(offered or accepted). A mentor's free places are their maximum less their active mentees and
less the open offers naming them. The engine sees one capacity per posting: its open places,
and for a mentoring posting no more than the places its mentors' shares give it. Publishing
checks both again (places may have filled since the run) and sends no offer beyond them.

Publishing once. The round's row carries a version that every change checks (UPDATE … WHERE
version = n): of two coordinators publishing at the same instant, one finds nothing to change
and is told. Besides, an application already offered cannot be offered again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm.exc import StaleDataError

from marketplace.accounts.models import User
from marketplace.applications import services as applications
from marketplace.applications.models import Application, ApplicationStatus, MentorResponse
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.matching import engine
from marketplace.matching.models import (
    MatchingRound,
    MentorShare,
    PairOutcome,
    RoundEntry,
    RoundPair,
    RoundPosting,
    RoundStatus,
    UnmatchedParticipant,
)
from marketplace.mentors.models import AvailabilityWindow, MentorProfile
from marketplace.mentors.models import ProfileStatus as MentorStatus
from marketplace.notifications.services import notify
from marketplace.organisations.services import is_site_coordinator, staff_of
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting, PostingKind, PostingStatus
from marketplace.problems import NotAllowed, Problem, Refused, WrongStatus
from marketplace.search import text_matches
from marketplace.sites.models import Site
from marketplace.workflow.services import SYSTEM, Step, Workflow

COORDINATOR, STAFF, PARTICIPANT = "coordinator", "staff", "participant"
# Applications a participant may rank: still waiting for the employer's answer.
RANKABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)
# Offers that hold a place (and a mentor's place) until they are answered.
HOLDING = (ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED)
# The highest number a person may give; more choices than this nobody ranks.
LARGEST_RANK = 99


# Who may take which step --------------------------------------------------------------------------


def _round_relations(user: User, round_: MatchingRound) -> set[str]:
    return {COORDINATOR} if is_site_coordinator(user, round_.site_id) else set()


ROUND = Workflow(
    "matching_round",
    [
        Step.of("create", [None], RoundStatus.OPEN, [COORDINATOR]),
        Step.of("choose_postings", [RoundStatus.OPEN], None, [COORDINATOR]),
        Step.of("share_mentors", [RoundStatus.OPEN], None, [COORDINATOR]),
        # From the shell too: `flask matching run`.
        Step.of("run", [RoundStatus.OPEN, RoundStatus.DRAFT], RoundStatus.DRAFT,
                [COORDINATOR, SYSTEM]),
        Step.of("edit_pairs", [RoundStatus.DRAFT], None, [COORDINATOR]),
        # Back to ranking, to change postings, shares or ranks; the pairs stay until the next run.
        Step.of("reopen", [RoundStatus.DRAFT], RoundStatus.OPEN, [COORDINATOR]),
        Step.of("publish", [RoundStatus.DRAFT], RoundStatus.PUBLISHED, [COORDINATOR]),
        Step.of("cancel", [RoundStatus.OPEN, RoundStatus.DRAFT], RoundStatus.CANCELLED,
                [COORDINATOR]),
    ],
    _round_relations,
)  # fmt: skip


def _ranking_relations(user: User, round_posting: RoundPosting) -> set[str]:
    found = set()
    if round_posting.posting.organisation.is_staff(user):
        found.add(STAFF)
    if is_site_coordinator(user, round_posting.round.site_id):
        found.add(COORDINATOR)
    return found


@dataclass
class Choices:
    """One participant's part in a round: the applications they rank."""

    round: MatchingRound
    profile: ParticipantProfile

    @property
    def status(self) -> str:
        return self.round.status


def _choices_relations(user: User, choices: Choices) -> set[str]:
    return {PARTICIPANT} if choices.profile.user_id == user.id else set()


@dataclass
class Ranking:
    """A posting's part in a round: its staff rank its shortlisted applicants."""

    round_posting: RoundPosting

    @property
    def status(self) -> str:
        return self.round_posting.round.status

    @property
    def posting(self) -> Posting:
        return self.round_posting.posting


RANKING = Workflow(
    "matching_ranking",
    [Step.of("rank_applicants", [RoundStatus.OPEN], None, [STAFF, COORDINATOR])],
    lambda user, ranking: _ranking_relations(user, ranking.round_posting),
)
CHOICES = Workflow(
    "matching_choices",
    [Step.of("rank_choices", [RoundStatus.OPEN], None, [PARTICIPANT])],
    _choices_relations,
)


def actions(user: User, round_: MatchingRound) -> frozenset[str]:
    """The steps this person may take on the round now (the pages offer just these)."""
    return ROUND.available(user, round_)


def can_manage(user: User, round_: MatchingRound) -> bool:
    return is_site_coordinator(user, round_.site_id)


# Places -------------------------------------------------------------------------------------------


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


# Creating a round and choosing its postings -------------------------------------------------------


def for_sites(site_ids: set[int] | None) -> sa.Select:
    """The rounds of these sites (every site: None), newest first."""
    query = sa.select(MatchingRound).order_by(
        MatchingRound.created_at.desc(), MatchingRound.id.desc()
    )
    if site_ids is not None:
        query = query.where(MatchingRound.site_id.in_(site_ids))
    return query


def create(actor: User, site: Site, name: str) -> MatchingRound:
    round_ = MatchingRound(site_id=site.id, name=name.strip(), status=None, created_by_id=actor.id)
    db.session.add(round_)
    ROUND.take(actor, round_, "create", site_id=site.id)
    db.session.commit()
    return round_


def _in_other_rounds(round_: MatchingRound) -> sa.Select:
    """Postings already in another round still open or in draft: a posting is matched in one
    round at a time."""
    return (
        sa.select(RoundPosting.posting_id)
        .join(MatchingRound, RoundPosting.round_id == MatchingRound.id)
        .where(
            MatchingRound.id != round_.id,
            MatchingRound.status.in_([RoundStatus.OPEN, RoundStatus.DRAFT]),
        )
    )


def candidate_postings(round_: MatchingRound, words: str = "") -> sa.Select:
    """Postings the round may take (the site's published postings with a place not filled, not
    in another open round) and those it has; the chosen first, then by title. ``words``
    narrows the others by title, description or organisation."""
    chosen = sa.select(RoundPosting.posting_id).where(RoundPosting.round_id == round_.id)
    may_join = sa.and_(
        Posting.site_id == round_.site_id,
        Posting.status == PostingStatus.PUBLISHED,
        Posting.filled_seats < Posting.seats,
        Posting.id.not_in(_in_other_rounds(round_)),
    )
    if words.strip():
        may_join = sa.and_(may_join, text_matches(Posting, words))
    return (
        sa.select(Posting)
        .where(sa.or_(may_join, Posting.id.in_(chosen)))
        .order_by(Posting.id.not_in(chosen), Posting.title, Posting.id)
        .options(sa.orm.joinedload(Posting.organisation))
    )


def _may_join(round_: MatchingRound, posting_ids: set[int]) -> set[int]:
    """Of these postings, those the round may take now."""
    return set(
        db.session.scalars(
            sa.select(Posting.id).where(
                Posting.id.in_(posting_ids),
                Posting.site_id == round_.site_id,
                Posting.status == PostingStatus.PUBLISHED,
                Posting.filled_seats < Posting.seats,
                Posting.id.not_in(_in_other_rounds(round_)),
            )
        )
    )


def chosen_posting_ids(round_: MatchingRound) -> set[int]:
    return {rp.posting_id for rp in round_.postings}


def choose_postings(
    actor: User, round_: MatchingRound, shown: set[int], chosen: set[int]
) -> tuple[int, int]:
    """Of the postings ``shown`` on the page, take those ``chosen`` into the round and drop the
    others; the rest of the round stays as it is. Returns how many were added and removed."""
    ROUND.check(actor, round_, "choose_postings")
    current = {rp.posting_id: rp for rp in round_.postings}
    wanted = (chosen & shown) - set(current)
    added = _may_join(round_, wanted)
    if wanted - added:
        raise Problem(
            _("A posting you chose cannot take part: it is full, closed or in another round.")
        )
    dropped = [rp for posting_id, rp in current.items() if posting_id in shown - chosen]
    for rp in dropped:
        round_.postings.remove(rp)
    for posting_id in sorted(added):
        round_.postings.append(RoundPosting(posting_id=posting_id))
    if added or dropped:
        audit.record(
            "matching_round.postings_changed",
            actor=actor,
            obj=round_,
            site_id=round_.site_id,
            summary=f"+{len(added)} −{len(dropped)}",
        )
        db.session.flush()
        _tell_rankers(round_, set(added))
    db.session.commit()
    return len(added), len(dropped)


def _tell_rankers(round_: MatchingRound, posting_ids: set[int]) -> None:
    """The newly added postings' staff and their waiting applicants are asked to rank."""
    for rp in round_.postings:
        if rp.posting_id in posting_ids:
            notify(
                staff_of(rp.posting.organisation),
                lambda title=rp.posting.title: _(
                    "A matching round includes %(title)s. Please rank your shortlisted applicants.",
                    title=title,
                ),
                link=path_for("matching.rank_applicants", round_posting_id=rp.id),
            )
    applicants = db.session.scalars(
        sa.select(User)
        .join(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .join(Application, Application.participant_id == ParticipantProfile.id)
        .where(Application.posting_id.in_(posting_ids), Application.status.in_(RANKABLE))
        .distinct()
    )
    notify(
        applicants,
        lambda: _("A matching round has started. Please rank the postings you applied to."),
        link=path_for("matching.my_choices", round_id=round_.id),
    )


# Mentor shares ------------------------------------------------------------------------------------


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
    """For each mentoring posting of the round, its organisation's confirmed mentors who are
    approved, not paused and have a weekly time within the posting's dates (the mentors an offer
    may name); one query for them all."""
    mentoring = [rp for rp in round_.postings if rp.posting.kind == PostingKind.MENTORING]
    if not mentoring:
        return []
    rows = db.session.execute(
        sa.select(RoundPosting.id, MentorProfile)
        .join(Posting, RoundPosting.posting_id == Posting.id)
        .join(MentorProfile, MentorProfile.organisation_id == Posting.organisation_id)
        .where(
            RoundPosting.id.in_([rp.id for rp in mentoring]),
            MentorProfile.organisation_confirmed.is_(True),
            MentorProfile.status == MentorStatus.APPROVED,
            MentorProfile.paused.is_(False),
            sa.select(AvailabilityWindow.id)
            .where(
                AvailabilityWindow.profile_id == MentorProfile.id,
                AvailabilityWindow.valid_from
                <= sa.func.coalesce(Posting.end_date, Posting.start_date),
                AvailabilityWindow.valid_until >= Posting.start_date,
            )
            .exists(),
        )
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


# Ranking ------------------------------------------------------------------------------------------


def _entries(round_: MatchingRound, application_ids: Iterable[int]) -> dict[int, RoundEntry]:
    ids = list(application_ids)
    if not ids:
        return {}
    return {
        entry.application_id: entry
        for entry in db.session.scalars(
            sa.select(RoundEntry).where(
                RoundEntry.round_id == round_.id, RoundEntry.application_id.in_(ids)
            )
        )
    }


def choices_of(
    round_: MatchingRound, profile: ParticipantProfile
) -> list[tuple[Application, int | None]]:
    """The participant's waiting applications to the round's postings, each with the number they
    gave it, in the order the engine would read them."""
    found = list(
        db.session.scalars(
            sa.select(Application)
            .join(RoundPosting, RoundPosting.posting_id == Application.posting_id)
            .where(
                RoundPosting.round_id == round_.id,
                Application.participant_id == profile.id,
                Application.status.in_(RANKABLE),
            )
            .options(sa.orm.joinedload(Application.posting).joinedload(Posting.organisation))
        )
    )
    entries = _entries(round_, (a.id for a in found))
    ranked = [(a, entries[a.id].participant_rank if a.id in entries else None) for a in found]
    return sorted(ranked, key=lambda pair: _tie_key(pair[1], pair[0]))


def _tie_key(rank: int | None, application: Application) -> tuple:
    """Numbered first by number; equal or missing numbers by earlier application, then id."""
    return (rank is None, rank or 0, application.created_at, application.id)


def _save_ranks(round_: MatchingRound, ranks: Mapping[int, int | None], column: str) -> None:
    entries = _entries(round_, ranks)
    for application_id, rank in ranks.items():
        if rank is not None and not 1 <= rank <= LARGEST_RANK:
            raise Problem(_("Please use numbers from 1 to %(max)s.", max=LARGEST_RANK))
        entry = entries.get(application_id)
        if entry is None:
            entry = RoundEntry(round_id=round_.id, application_id=application_id)
            db.session.add(entry)
        setattr(entry, column, rank)


def save_choices(
    user: User, round_: MatchingRound, profile: ParticipantProfile, ranks: Mapping[int, int | None]
) -> None:
    """The participant's numbers for their own waiting applications in the round."""
    CHOICES.check(user, Choices(round_, profile), "rank_choices")
    own = {application.id for application, _rank in choices_of(round_, profile)}
    if set(ranks) - own:
        raise NotAllowed
    _save_ranks(round_, ranks, "participant_rank")
    audit.record(
        "matching_round.choices_ranked", actor=user, obj=round_, site_id=round_.site_id,
        summary=str(len(ranks)),
    )  # fmt: skip
    db.session.commit()


def shortlisted_for(round_posting: RoundPosting) -> sa.Select:
    """The posting's shortlisted applicants in the order the engine would read them: numbered
    first, then by earlier application. Each card's profile is loaded with the page."""
    entry = sa.orm.aliased(RoundEntry)
    profile = sa.orm.joinedload(Application.participant)
    return (
        sa.select(Application)
        .outerjoin(
            entry,
            sa.and_(
                entry.application_id == Application.id, entry.round_id == round_posting.round_id
            ),
        )
        .where(
            Application.posting_id == round_posting.posting_id,
            Application.status == ApplicationStatus.SHORTLISTED,
        )
        .order_by(
            entry.posting_rank.is_(None), entry.posting_rank, Application.created_at, Application.id
        )
        .options(
            profile.joinedload(ParticipantProfile.user),
            profile.selectinload(ParticipantProfile.languages),
            profile.selectinload(ParticipantProfile.interests),
            profile.selectinload(ParticipantProfile.support),
        )
    )


def posting_ranks(round_: MatchingRound, applications: Iterable[Application]) -> dict[int, int]:
    """The staff's numbers for these applications, by application id, in one query."""
    return {
        application_id: entry.posting_rank
        for application_id, entry in _entries(round_, (a.id for a in applications)).items()
        if entry.posting_rank is not None
    }


def applicant_label(application: Application) -> str:
    """The ranking field's label: the applicant's name once the employer may know it."""
    if application.identity_disclosed:
        return _("Number for %(name)s", name=application.participant.user.display_name)
    return _("Number for applicant %(number)s", number=application.id)


def save_ranking(user: User, round_posting: RoundPosting, ranks: Mapping[int, int | None]) -> None:
    """The staff's numbers for the posting's shortlisted applicants shown on the page."""
    RANKING.check(user, Ranking(round_posting), "rank_applicants")
    shortlisted = set(
        db.session.scalars(
            sa.select(Application.id).where(
                Application.posting_id == round_posting.posting_id,
                Application.status == ApplicationStatus.SHORTLISTED,
                Application.id.in_(list(ranks)),
            )
        )
    )
    if set(ranks) - shortlisted:
        raise Problem(_("An applicant is no longer on the shortlist. Please check the list again."))
    round_ = round_posting.round
    _save_ranks(round_, ranks, "posting_rank")
    audit.record(
        "matching_round.applicants_ranked", actor=user, obj=round_, site_id=round_.site_id,
        summary=f"{round_posting.posting_id}: {len(ranks)}",
    )  # fmt: skip
    db.session.commit()


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
    entries = _entries(round_, (a.id for a in waiting))
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
            for a in sorted(listed, key=lambda a: _tie_key(rank(a, "participant_rank"), a))
        ]
        for participant, listed in by_participant.items()
    }
    rankings = {
        posting_id: [
            a.participant_id
            for a in sorted(
                by_posting[posting_id], key=lambda a: _tie_key(rank(a, "posting_rank"), a)
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


# Reviewing the draft ------------------------------------------------------------------------------


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


def reopen(actor: User, round_: MatchingRound) -> None:
    ROUND.take(actor, round_, "reopen", site_id=round_.site_id)
    db.session.commit()


def cancel(actor: User, round_: MatchingRound) -> None:
    ROUND.take(actor, round_, "cancel", site_id=round_.site_id)
    db.session.commit()


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


@dataclass(frozen=True)
class PostingProgress:
    round_posting: RoundPosting
    open_places: int
    shared: int | None  # places the mentors' shares give a mentoring posting
    shortlisted: int
    ranked: int  # of the shortlisted, those the staff gave a number


@dataclass(frozen=True)
class Progress:
    postings: list[PostingProgress]
    participants: int  # with a waiting application in the round
    ranking: int  # of them, those who gave at least one number


def progress(round_: MatchingRound) -> Progress:
    """How far ranking has come, now, in three queries whatever the round's size."""
    posting_ids = [rp.posting_id for rp in round_.postings]
    entry = sa.orm.aliased(RoundEntry)
    joined = sa.and_(entry.round_id == round_.id, entry.application_id == Application.id)
    counts = {
        posting_id: (shortlisted, ranked)
        for posting_id, shortlisted, ranked in db.session.execute(
            sa.select(
                Application.posting_id,
                sa.func.count(Application.id),
                sa.func.count(entry.posting_rank),
            )
            .outerjoin(entry, joined)
            .where(
                Application.posting_id.in_(posting_ids),
                Application.status == ApplicationStatus.SHORTLISTED,
            )
            .group_by(Application.posting_id)
        )
    }
    participants, ranking = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(Application.participant_id)),
            sa.func.count(
                sa.distinct(
                    sa.case((entry.participant_rank.is_not(None), Application.participant_id))
                )
            ),
        )
        .outerjoin(entry, joined)
        .where(Application.posting_id.in_(posting_ids), Application.status.in_(RANKABLE))
    ).one()
    places = open_places(rp.posting for rp in round_.postings)
    return Progress(
        postings=[
            PostingProgress(
                rp,
                places[rp.posting_id],
                sum(s.places for s in rp.shares)
                if rp.posting.kind == PostingKind.MENTORING
                else None,
                *counts.get(rp.posting_id, (0, 0)),
            )
            for rp in round_.postings
        ],
        participants=participants,
        ranking=ranking,
    )


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


# Publishing ---------------------------------------------------------------------------------------


def pair_ids(round_: MatchingRound) -> list[int]:
    """The round's pairs not removed, in the draft's order (by posting, best-ranked first)."""
    return list(
        db.session.scalars(
            _in_order(sa.select(RoundPair.id), round_).where(RoundPair.removed.is_(False))
        )
    )


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


# For the to-do lists ------------------------------------------------------------------------------


def choices_to_rank(profile: ParticipantProfile) -> list[tuple[int, str]]:
    """Open rounds where the participant has a waiting application without a number yet: (round
    id, name), in one query."""
    entry = sa.orm.aliased(RoundEntry)
    return list(
        db.session.execute(
            sa.select(MatchingRound.id, MatchingRound.name)
            .join(RoundPosting, RoundPosting.round_id == MatchingRound.id)
            .join(Application, Application.posting_id == RoundPosting.posting_id)
            .outerjoin(
                entry,
                sa.and_(entry.round_id == MatchingRound.id, entry.application_id == Application.id),
            )
            .where(
                MatchingRound.status == RoundStatus.OPEN,
                Application.participant_id == profile.id,
                Application.status.in_(RANKABLE),
                entry.participant_rank.is_(None),
            )
            .group_by(MatchingRound.id, MatchingRound.name)
            .order_by(MatchingRound.id)
        ).all()
    )


def applicants_to_rank(organisation_ids: sa.Select, limit: int) -> list[tuple[int, str, int]]:
    """Postings of these organisations in open rounds with shortlisted applicants still without
    a number: (round posting id, title, how many), in one query."""
    entry = sa.orm.aliased(RoundEntry)
    return list(
        db.session.execute(
            sa.select(RoundPosting.id, Posting.title, sa.func.count(Application.id))
            .join(MatchingRound, RoundPosting.round_id == MatchingRound.id)
            .join(Posting, RoundPosting.posting_id == Posting.id)
            .join(Application, Application.posting_id == Posting.id)
            .outerjoin(
                entry,
                sa.and_(entry.round_id == MatchingRound.id, entry.application_id == Application.id),
            )
            .where(
                MatchingRound.status == RoundStatus.OPEN,
                Posting.organisation_id.in_(organisation_ids),
                Application.status == ApplicationStatus.SHORTLISTED,
                entry.posting_rank.is_(None),
            )
            .group_by(RoundPosting.id, Posting.title)
            .order_by(RoundPosting.id)
            .limit(limit)
        ).all()
    )


def drafts_waiting(site_ids: set[int] | None) -> tuple[int, int | None]:
    """Rounds in draft at these sites, waiting to be published: how many, and the first's id."""
    query = sa.select(sa.func.count(MatchingRound.id), sa.func.min(MatchingRound.id)).where(
        MatchingRound.status == RoundStatus.DRAFT
    )
    if site_ids is not None:
        query = query.where(MatchingRound.site_id.in_(site_ids))
    count, first = db.session.execute(query).one()
    return count, first
