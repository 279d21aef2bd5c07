"""Delivery on a placement: mentoring sessions and their confirmation, the end and outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.mentors.models import MentorProfile
from marketplace.notifications.services import notify
from marketplace.organisations.models import OrganisationMember
from marketplace.organisations.services import coordinators_of, is_site_coordinator
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import (
    MentoringSession,
    Outcome,
    Placement,
    PlacementStatus,
    SessionStatus,
)
from marketplace.problems import NotAllowed, Problem, WrongStatus
from marketplace.sites.clock import today_at
from marketplace.workflow.services import Step, Workflow

OUTCOME_WINDOW = timedelta(days=366)  # outcomes may be recorded up to 12 months after the end


class PlacementProblem(Problem):
    """A rule a session or an outcome breaks; ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def can_view(user, placement: Placement) -> bool:
    return applications.can_view(user, placement.application)


def is_mentor(user, placement: Placement) -> bool:
    return placement.mentor is not None and placement.mentor.user_id == user.id


def is_participant(user, placement: Placement) -> bool:
    return placement.participant.user_id == user.id


def relations(user: User, placement: Placement) -> set[str]:
    found = set()
    if placement.organisation.is_staff(user):
        found.add("staff")
    if is_site_coordinator(user, placement.site_id):
        found.add("coordinator")
    if is_mentor(user, placement):
        found.add("mentor")
    if is_participant(user, placement):
        found.add("participant")
    return found


MANAGERS = {"staff", "coordinator"}
WORKFLOW = Workflow(
    "placement",
    [
        # The named mentor logs sessions while the placement runs; its status stays.
        Step.of("log_session", [PlacementStatus.ACTIVE], PlacementStatus.ACTIVE, {"mentor"}),
        Step.of("complete", [PlacementStatus.ACTIVE], PlacementStatus.COMPLETED, MANAGERS),
        Step.of("end_early", [PlacementStatus.ACTIVE], PlacementStatus.ENDED_EARLY, MANAGERS),
    ],
    relations,
)
SESSION_WORKFLOW = Workflow(
    "session",
    [
        Step.of("log", [None], SessionStatus.LOGGED, {"mentor"}),
        Step.of("confirm", [SessionStatus.LOGGED], SessionStatus.CONFIRMED, {"participant"}),
        Step.of("dispute", [SessionStatus.LOGGED], SessionStatus.DISPUTED, {"participant"}),
    ],
    lambda user, session: relations(user, session.placement),
)


def manages(user, placement: Placement) -> bool:
    """The employer's staff and the site's coordinators run the placement's end and outcome."""
    return bool(MANAGERS & WORKFLOW.relations_of(user, placement))


def session_actions(user, session: MentoringSession) -> frozenset[str]:
    return SESSION_WORKFLOW.available(user, session)


def _check(workflow: Workflow, user: User, obj, step: str, *, not_now: str) -> None:
    """As ``workflow.check``, telling a person whose step it is why it cannot happen now."""
    try:
        workflow.check(user, obj, step)
    except WrongStatus:
        raise Problem(not_now) from None


@dataclass
class Hours:
    planned: float
    logged: float
    confirmed: float


def hours(placement: Placement) -> Hours:
    logged = sum(s.minutes for s in placement.sessions if s.status != SessionStatus.DISPUTED)
    confirmed = sum(s.minutes for s in placement.sessions if s.status == SessionStatus.CONFIRMED)
    return Hours(planned=placement.planned_hours, logged=logged / 60, confirmed=confirmed / 60)


# Mentoring sessions -----------------------------------------------------------------------------


def log_session(
    user: User, placement: Placement, held_on: date, minutes: int, topic: str, notes: str
) -> MentoringSession:
    _check(
        WORKFLOW,
        user,
        placement,
        "log_session",
        not_now=_("Sessions can only be logged on an active placement."),
    )
    last_day = min(
        placement.end_date or today_at(placement.posting.site), today_at(placement.posting.site)
    )
    if not placement.start_date <= held_on <= last_day:
        raise PlacementProblem(
            "held_on", _("The date must be between the start of the placement and today.")
        )
    # Not saved before its first step is checked: until then it has no status.
    with db.session.no_autoflush:
        session = MentoringSession(
            placement=placement,
            held_on=held_on,
            minutes=minutes,
            topic=topic.strip(),
            notes=notes.strip(),
            logged_by_id=user.id,
            status=None,
        )
        SESSION_WORKFLOW.check(user, session, "log")
        session.status = SessionStatus.LOGGED
    db.session.add(session)
    db.session.flush()
    audit.record(
        "session.logged",
        actor=user,
        obj=session,
        site_id=placement.site_id,
        summary=f"{minutes} min",
    )
    notify(
        [placement.participant.user],
        lambda: _(
            "Your mentor logged a session (%(minutes)s minutes). Please confirm it.",
            minutes=minutes,
        ),
        link=path_for("placements.show", placement_id=placement.id),
    )
    db.session.commit()
    return session


def answer_session(user: User, session: MentoringSession, confirm: bool, note: str = "") -> None:
    placement = session.placement
    step = "confirm" if confirm else "dispute"
    _check(
        SESSION_WORKFLOW,
        user,
        session,
        step,
        not_now=_("You have already answered for this session."),
    )
    if not confirm and not note.strip():
        raise PlacementProblem("note", _("Please say what is not right."))
    session.status = SESSION_WORKFLOW.steps[step].target
    session.dispute_note = "" if confirm else note.strip()[:1000]
    session.answered_at = utcnow()
    audit.record(
        "session.confirmed" if confirm else "session.disputed",
        actor=user,
        obj=session,
        site_id=placement.site_id,
    )
    if not confirm:
        notify(
            [placement.mentor.user, *coordinators_of(placement.site_id)],
            lambda: _("A participant disputed a mentoring session: %(note)s", note=note),
            link=path_for("placements.show", placement_id=placement.id),
        )
    db.session.commit()


def sessions_to_check(site_ids: set[int] | None) -> sa.Select:
    """Sessions still waiting for the participant, and disputed ones, oldest first."""
    query = (
        sa.select(MentoringSession)
        .join(Placement)
        .where(MentoringSession.status.in_([SessionStatus.LOGGED, SessionStatus.DISPUTED]))
    )
    if site_ids is not None:
        query = query.where(Placement.site_id.in_(site_ids))
    return query.order_by(MentoringSession.held_on, MentoringSession.id).options(
        sa.orm.contains_eager(MentoringSession.placement)
    )


# End and outcome --------------------------------------------------------------------------------


def end(actor: User, placement: Placement, completed: bool, reason: str = "") -> None:
    """Complete the placement, or end it early with a reason; the mentor's place frees up."""
    step = "complete" if completed else "end_early"
    WORKFLOW.check(actor, placement, step)
    if not completed and not reason.strip():
        raise PlacementProblem("reason", _("Please say why the placement ended early."))
    WORKFLOW.take(actor, placement, step, site_id=placement.site_id, reason=reason)
    placement.ended_on = today_at(placement.posting.site)
    placement.end_reason = reason.strip()
    if placement.mentor_id is not None:
        db.session.execute(
            sa.update(MentorProfile)
            .where(MentorProfile.id == placement.mentor_id, MentorProfile.active_mentees > 0)
            .values(active_mentees=MentorProfile.active_mentees - 1)
        )
    db.session.commit()


def outcome_problem(
    placement: Placement, outcome: Outcome, on: date | None
) -> PlacementProblem | None:
    """Why this outcome cannot be recorded as given, or None (asked before confirming)."""
    today = today_at(placement.posting.site)
    if placement.ended_on and today > placement.ended_on + OUTCOME_WINDOW:
        return PlacementProblem("", _("Outcomes can be recorded up to 12 months after the end."))
    if outcome in {Outcome.JOB_OFFER, Outcome.HIRED} and on is None:
        return PlacementProblem("outcome_date", _("Please enter the date."))
    if on is not None and on > today:
        return PlacementProblem("outcome_date", _("The date cannot be in the future."))
    return None


def record_outcome(
    actor: User,
    placement: Placement,
    outcome: Outcome,
    on: date | None,
    offer_accepted: bool | None,
) -> None:
    if not manages(actor, placement):
        raise NotAllowed
    problem = outcome_problem(placement, outcome, on)
    if problem:
        raise problem
    placement.outcome, placement.outcome_date = outcome, on
    placement.job_offer_accepted = offer_accepted if outcome == Outcome.JOB_OFFER else None
    audit.record(
        "placement.outcome",
        actor=actor,
        obj=placement,
        site_id=placement.site_id,
        summary=outcome.value,
    )
    db.session.commit()


# Lists ------------------------------------------------------------------------------------------


def active_for_mentor(profile: MentorProfile) -> list[Placement]:
    return list(
        db.session.scalars(
            sa.select(Placement)
            .where(Placement.mentor_id == profile.id, Placement.status == PlacementStatus.ACTIVE)
            .order_by(Placement.start_date)
        )
    )


def visible_to(user: User) -> sa.Select:
    """The placements a person takes part in or looks after, newest first."""
    sites = None if user.has_role(Role.SUPER_ADMIN) else user.sites_for(Role.COORDINATOR)
    conditions = [
        Placement.participant_id.in_(
            sa.select(ParticipantProfile.id).where(ParticipantProfile.user_id == user.id)
        ),
        Placement.mentor_id.in_(
            sa.select(MentorProfile.id).where(MentorProfile.user_id == user.id)
        ),
        Placement.organisation_id.in_(
            sa.select(OrganisationMember.organisation_id).where(
                OrganisationMember.user_id == user.id, OrganisationMember.approved.is_(True)
            )
        ),
    ]
    if sites is None:
        conditions.append(sa.true())
    elif sites:
        conditions.append(Placement.site_id.in_(sites))
    return sa.select(Placement).where(sa.or_(*conditions)).order_by(Placement.id.desc())
