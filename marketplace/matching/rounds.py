"""A matching round's life: who may take which step, creating a round and choosing its
postings, reopening and cancelling, and the rounds a coordinator sees."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.matching.models import MatchingRound, RoundPosting, RoundStatus
from marketplace.matching.ranking import ask_to_rank
from marketplace.organisations.services import is_site_coordinator
from marketplace.postings.models import Posting, PostingStatus
from marketplace.problems import Problem
from marketplace.search import text_matches
from marketplace.sites.models import Site
from marketplace.workflow.services import SYSTEM, Step, Workflow

# How a person relates to a round: the site's coordinators take every step.
COORDINATOR = "coordinator"


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


def actions(user: User, round_: MatchingRound) -> frozenset[str]:
    """The steps this person may take on the round now (the pages offer just these)."""
    return ROUND.available(user, round_)


def can_manage(user: User, round_: MatchingRound) -> bool:
    return is_site_coordinator(user, round_.site_id)


# The rounds a coordinator sees --------------------------------------------------------------------


def for_sites(site_ids: set[int] | None) -> sa.Select:
    """The rounds of these sites (every site: None), newest first."""
    query = sa.select(MatchingRound).order_by(
        MatchingRound.created_at.desc(), MatchingRound.id.desc()
    )
    if site_ids is not None:
        query = query.where(MatchingRound.site_id.in_(site_ids))
    return query


def drafts_waiting(site_ids: set[int] | None) -> tuple[int, int | None]:
    """Rounds in draft at these sites, waiting to be published: how many, and the first's id."""
    query = sa.select(sa.func.count(MatchingRound.id), sa.func.min(MatchingRound.id)).where(
        MatchingRound.status == RoundStatus.DRAFT
    )
    if site_ids is not None:
        query = query.where(MatchingRound.site_id.in_(site_ids))
    count, first = db.session.execute(query).one()
    return count, first


# Creating a round and choosing its postings -------------------------------------------------------


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
        ask_to_rank(round_, set(added))
    db.session.commit()
    return len(added), len(dropped)


# Reopening and cancelling -------------------------------------------------------------------------


def reopen(actor: User, round_: MatchingRound) -> None:
    ROUND.take(actor, round_, "reopen", site_id=round_.site_id)
    db.session.commit()


def cancel(actor: User, round_: MatchingRound) -> None:
    ROUND.take(actor, round_, "cancel", site_id=round_.site_id)
    db.session.commit()
