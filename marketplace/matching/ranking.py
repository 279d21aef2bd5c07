"""Ranking in a matching round: each participant numbers their waiting applications to the
round's postings, each posting's staff number its shortlisted applicants, and the coordinator
follows how far they have come.

Ties. The engine needs strict preferences, so equal or missing numbers are ordered by earlier
application, then by application id: a participant's applications without a number come after
the numbered ones, in the order they applied, and so do a posting's shortlisted applicants.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.applications.models import Application, ApplicationStatus
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.matching.models import MatchingRound, RoundEntry, RoundPosting, RoundStatus
from marketplace.matching.places import open_places
from marketplace.notifications.services import notify
from marketplace.organisations.services import is_site_coordinator, staff_of
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting, PostingKind
from marketplace.problems import NotAllowed, Problem
from marketplace.workflow.services import Step, Workflow

# How a person relates to a posting's ranking or to a participant's choices.
STAFF, COORDINATOR, PARTICIPANT = "staff", "coordinator", "participant"
# Applications a participant may rank: still waiting for the employer's answer.
RANKABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED)
# The highest number a person may give; more choices than this nobody ranks.
LARGEST_RANK = 99


# Who may rank -------------------------------------------------------------------------------------


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


# Asking people to rank ----------------------------------------------------------------------------


def ask_to_rank(round_: MatchingRound, posting_ids: set[int]) -> None:
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


# Participants' choices and the staff's rankings ---------------------------------------------------


def entries_for(round_: MatchingRound, application_ids: Iterable[int]) -> dict[int, RoundEntry]:
    """The round's entries (numbers given, places the engine read) for these applications, by
    application id, in one query."""
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
    entries = entries_for(round_, (a.id for a in found))
    ranked = [(a, entries[a.id].participant_rank if a.id in entries else None) for a in found]
    return sorted(ranked, key=lambda pair: tie_key(pair[1], pair[0]))


def tie_key(rank: int | None, application: Application) -> tuple:
    """Numbered first by number; equal or missing numbers by earlier application, then id."""
    return (rank is None, rank or 0, application.created_at, application.id)


def _save_ranks(round_: MatchingRound, ranks: Mapping[int, int | None], column: str) -> None:
    entries = entries_for(round_, ranks)
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
        for application_id, entry in entries_for(round_, (a.id for a in applications)).items()
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


# How far ranking has come -------------------------------------------------------------------------


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
