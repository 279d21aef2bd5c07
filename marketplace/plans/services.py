"""Individual plans: who drafts, proposes and agrees, and progress counted from what happened.

The current plan is the latest agreed version. A newer proposal waits for the participant's
agreement, or for a coordinator's when the participant proposed it; an earlier agreement keeps
meaning the version that was agreed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.mentors.models import MentorProfile
from marketplace.notifications.services import notify
from marketplace.organisations.services import coordinators_of, is_site_coordinator
from marketplace.participants.models import ParticipantProfile, ProfileStatus, Support
from marketplace.placements.models import (
    MentoringSession,
    Placement,
    PlacementStatus,
    SessionStatus,
)
from marketplace.plans.models import (
    Measure,
    Plan,
    PlanGoal,
    PlanMeasure,
    PlanVersion,
    VersionStatus,
)
from marketplace.problems import NotAllowed, Problem
from marketplace.sites.clock import today_at
from marketplace.training.models import Enrolment, TrainingSession
from marketplace.workflow.services import Step, Workflow

MIN_GOALS, MAX_GOALS = 2, 5
PLAN_PEOPLE = frozenset({"participant", "coordinator", "mentor"})
# Who may write the first version: the participant agrees to it, and proposes changes later.
DRAFTERS = frozenset({"coordinator", "mentor"})

# Hours suggested for a first draft from the support recommended after the needs assessment.
SUGGESTED = {
    Support.LANGUAGE: {Measure.LOCAL_LANGUAGE: 60},
    Support.NON_FORMAL_EDUCATION: {
        Measure.CULTURE: 10,
        Measure.ENTREPRENEURSHIP: 10,
        Measure.PROFESSIONAL_IDENTITY: 15,
    },
    Support.CAREER_SUPPORT: {Measure.CAREER_SUPPORT: 10, Measure.EVENTS: 8},
    Support.MENTORING: {Measure.WORKPLACE_MENTORING: 16},
}


def is_active_mentor(user: User, profile: ParticipantProfile) -> bool:
    """The mentor named on one of the participant's active placements."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count(Placement.id))
            .join(MentorProfile, MentorProfile.id == Placement.mentor_id)
            .where(
                Placement.participant_id == profile.id,
                Placement.status == PlacementStatus.ACTIVE,
                MentorProfile.user_id == user.id,
            )
        )
    )


def relations(user: User, profile: ParticipantProfile) -> set[str]:
    found = set()
    if user.id == profile.user_id:
        found.add("participant")
    if is_site_coordinator(user, profile.site_id):
        found.add("coordinator")
    if is_active_mentor(user, profile):
        found.add("mentor")
    return found


def _proposed_by_participant(version: PlanVersion) -> bool:
    return version.proposed_by_id == version.plan.participant.user_id


def version_relations(user: User, version: PlanVersion) -> set[str]:
    """As ``relations``, and "counterpart" for the person whose agreement the version waits
    for: the participant, or a coordinator when the participant proposed it."""
    found = relations(user, version.plan.participant)
    if _proposed_by_participant(version):
        if "coordinator" in found:
            found.add("counterpart")
    elif "participant" in found:
        found.add("counterpart")
    return found


WORKFLOW = Workflow(
    "plan_version",
    [
        Step.of("propose", [None], VersionStatus.PROPOSED, PLAN_PEOPLE),
        Step.of("agree", [VersionStatus.PROPOSED], VersionStatus.AGREED, {"counterpart"}),
        Step.of("replace", [VersionStatus.PROPOSED], VersionStatus.REPLACED, PLAN_PEOPLE),
    ],
    version_relations,
)


def can_view(user: User, profile: ParticipantProfile) -> bool:
    return user.is_authenticated and bool(relations(user, profile))


def plan_of(profile: ParticipantProfile) -> Plan | None:
    return db.session.scalar(sa.select(Plan).where(Plan.participant_id == profile.id))


def current_version(plan: Plan | None) -> PlanVersion | None:
    """The latest agreed version: the plan in force."""
    if plan is None:
        return None
    agreed = [v for v in plan.versions if v.status == VersionStatus.AGREED]
    return agreed[-1] if agreed else None


def pending_version(plan: Plan | None) -> PlanVersion | None:
    """A proposal newer than the plan in force, waiting for agreement."""
    if plan is None or not plan.versions:
        return None
    latest = plan.versions[-1]
    return latest if latest.status == VersionStatus.PROPOSED else None


def to_agree(user: User, plan: Plan | None) -> PlanVersion | None:
    """The proposal that waits for this person's agreement, if any."""
    pending = pending_version(plan)
    return pending if pending is not None and WORKFLOW.may(user, pending, "agree") else None


def next_goal(plan: Plan | None) -> PlanGoal | None:
    """The goal of the plan in force not reached yet with the earliest target date, so one
    whose date has passed comes first."""
    current = current_version(plan)
    open_goals = [goal for goal in current.goals if goal.reached_on is None] if current else []
    return min(open_goals, key=lambda goal: (goal.target_date, goal.position), default=None)


def actions(user: User, profile: ParticipantProfile) -> frozenset[str]:
    """What this person may do with the participant's plan now (pages offer exactly these)."""
    found = relations(user, profile) if user.is_authenticated else set()
    plan = plan_of(profile)
    allowed = set()
    if plan is None:
        if found & DRAFTERS and profile.status == ProfileStatus.APPROVED:
            allowed.add("draft")
        return frozenset(allowed)
    if found & PLAN_PEOPLE:
        allowed.add("propose")
    pending = pending_version(plan)
    if pending is not None and WORKFLOW.may(user, pending, "agree"):
        allowed.add("agree")
    if found & PLAN_PEOPLE and current_version(plan) is not None:
        allowed.add("mark_reached")
    return frozenset(allowed)


def suggested_measures(profile: ParticipantProfile) -> dict[Measure, int]:
    hours: dict[Measure, int] = {}
    for support in profile.support:
        hours.update(SUGGESTED.get(support.kind, {}))
    return hours


def _notify_counterparts(version: PlanVersion, profile: ParticipantProfile) -> None:
    link = path_for("plans.show", profile_id=profile.id)
    if _proposed_by_participant(version):
        notify(
            coordinators_of(profile.site_id),
            lambda: _(
                "%(name)s proposed a change to their individual plan. It waits for your agreement.",
                name=profile.user.display_name,
            ),
            link=link,
        )
    else:
        notify(
            [profile.user],
            lambda: _("Your individual plan has a new version. Please read it and agree to it."),
            link=link,
        )


def propose(
    actor: User,
    profile: ParticipantProfile,
    measures: dict[Measure, int],
    goals: list[tuple[str, date]],
    note: str = "",
) -> PlanVersion:
    """Draft the plan, or propose a change to it: a new version that waits for agreement."""
    found = relations(actor, profile)
    plan = plan_of(profile)
    if plan is None:
        if not found & DRAFTERS:
            raise NotAllowed
        if profile.status != ProfileStatus.APPROVED:
            raise Problem(_("A plan is drafted once the participant's profile is approved."))
    elif not found & PLAN_PEOPLE:
        raise NotAllowed
    if not MIN_GOALS <= len(goals) <= MAX_GOALS:
        raise Problem(_("Please write two to five personal goals."))
    if not any(hours > 0 for hours in measures.values()):
        raise Problem(_("Please plan hours for at least one measure."))
    if plan is None:
        plan = Plan(participant=profile)
        db.session.add(plan)
        db.session.flush()
    current = current_version(plan)
    reached = {g.text: g for g in current.goals if g.reached_on} if current else {}
    pending = pending_version(plan)
    if pending is not None:
        WORKFLOW.take(actor, pending, "replace", site_id=profile.site_id)
    version = PlanVersion(
        plan=plan,
        number=(plan.versions[-1].number + 1) if plan.versions else 1,
        note=note.strip(),
        proposed_by_id=actor.id,
        proposed_at=utcnow(),
        measures=[
            PlanMeasure(measure=measure, planned_hours=hours)
            for measure, hours in measures.items()
            if hours > 0
        ],
        goals=[
            PlanGoal(
                position=position,
                text=text.strip(),
                target_date=target,
                reached_on=reached[text.strip()].reached_on if text.strip() in reached else None,
                reached_note=reached[text.strip()].reached_note if text.strip() in reached else "",
            )
            for position, (text, target) in enumerate(goals, start=1)
        ],
    )
    db.session.add(version)
    WORKFLOW.take(actor, version, "propose", site_id=profile.site_id, reason=note)
    _notify_counterparts(version, profile)
    db.session.commit()
    return version


def agree(actor: User, profile: ParticipantProfile, number: int) -> PlanVersion:
    """Agree to the version the person read; a newer proposal since then is not agreed to."""
    plan = plan_of(profile)
    pending = pending_version(plan)
    if pending is None or pending.number != number:
        if plan is not None and relations(actor, profile) & PLAN_PEOPLE:
            raise Problem(
                _("This version no longer waits for agreement. Please read the plan again.")
            )
        raise NotAllowed
    WORKFLOW.take(actor, pending, "agree", site_id=profile.site_id)
    pending.agreed_by_id = actor.id
    pending.agreed_at = utcnow()
    if pending.proposed_by is not None and pending.proposed_by_id != actor.id:
        notify(
            [pending.proposed_by],
            lambda: _(
                "Version %(number)s of the individual plan of %(name)s is agreed.",
                number=pending.number,
                name=profile.user.display_name,
            ),
            link=path_for("plans.show", profile_id=profile.id),
        )
    db.session.commit()
    return pending


def mark_reached(
    actor: User, profile: ParticipantProfile, goal_id: int, on: date, note: str
) -> PlanGoal:
    """Record that a goal of the plan in force was reached; a waiting proposal that keeps the
    same goal learns it too."""
    if not relations(actor, profile) & PLAN_PEOPLE:
        raise NotAllowed
    plan = plan_of(profile)
    current = current_version(plan)
    goal = next((g for g in current.goals if g.id == goal_id), None) if current else None
    if goal is None:
        raise Problem(_("This goal is not in the plan in force."))
    if on > today_at(profile.site):
        raise Problem(_("The date a goal was reached cannot be in the future."))
    for version in plan.versions:
        if version.number >= current.number:
            for same in version.goals:
                if same.text == goal.text:
                    same.reached_on, same.reached_note = on, note.strip()
    audit.record(
        "plan.goal_reached",
        actor=actor,
        obj=plan,
        site_id=profile.site_id,
        summary=f"{goal.text} ({on.isoformat()})",
    )
    db.session.commit()
    return goal


@dataclass
class MeasureProgress:
    measure: Measure
    planned: int
    done: float

    @property
    def shown(self) -> float:
        """Hours done, for the bar: a bar is never fuller than full."""
        return min(self.done, self.planned)


def hours_done(profile: ParticipantProfile) -> dict[Measure, float]:
    """Hours per measure from what happened: training attended per category, confirmed
    mentoring sessions, events attended."""
    done = {measure: 0.0 for measure in Measure}
    for category, minutes in db.session.execute(
        sa.select(TrainingSession.category, sa.func.sum(TrainingSession.minutes))
        .join(Enrolment)
        .where(Enrolment.participant_id == profile.id, Enrolment.attended.is_(True))
        .group_by(TrainingSession.category)
    ):
        done[Measure(category.value)] = (minutes or 0) / 60
    mentoring = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(MentoringSession.minutes), 0))
        .join(Placement)
        .where(
            Placement.participant_id == profile.id,
            MentoringSession.status == SessionStatus.CONFIRMED,
        )
    )
    done[Measure.WORKPLACE_MENTORING] = mentoring / 60
    events = db.session.execute(
        sa.select(Event.starts_at, Event.ends_at)
        .join(Rsvp)
        .where(Rsvp.user_id == profile.user_id, Rsvp.attended.is_(True))
    ).all()
    done[Measure.EVENTS] = sum((end - start).total_seconds() for start, end in events) / 3600
    return done


def progress(profile: ParticipantProfile, version: PlanVersion | None) -> list[MeasureProgress]:
    if version is None:
        return []
    done = hours_done(profile)
    return [MeasureProgress(m.measure, m.planned_hours, done[m.measure]) for m in version.measures]


@dataclass
class PlanView:
    plan: Plan | None
    current: PlanVersion | None
    pending: PlanVersion | None
    progress: list[MeasureProgress]


def view(profile: ParticipantProfile) -> PlanView:
    plan = plan_of(profile)
    current = current_version(plan)
    return PlanView(plan, current, pending_version(plan), progress(profile, current))
