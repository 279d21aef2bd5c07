"""A participant's journey through the programme, and the figures on their certificate.

The hours are the delivery-tracking figures: confirmed mentoring sessions, and training
sessions the person attended.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.applications.models import Application
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
from marketplace.participants.models import ProfileStatus as Status
from marketplace.placements.models import MentoringSession, Placement, SessionStatus
from marketplace.questionnaires import services as questionnaires
from marketplace.training.models import Enrolment, TrainingSession


@dataclass
class Journey:
    profile: ParticipantProfile
    questionnaire_sent_at: object
    trainings: list[TrainingSession]
    applications: list[Application]
    placements: list[Placement]
    events: list[Event]
    mentoring_hours: float
    training_hours: float


def mentoring_hours(profile: ParticipantProfile) -> float:
    minutes = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(MentoringSession.minutes), 0))
        .join(Placement)
        .where(
            Placement.participant_id == profile.id,
            MentoringSession.status == SessionStatus.CONFIRMED,
        )
    )
    return minutes / 60


def training_attended(profile: ParticipantProfile) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            sa.select(TrainingSession)
            .join(Enrolment)
            .where(Enrolment.participant_id == profile.id, Enrolment.attended.is_(True))
            .order_by(TrainingSession.held_on)
        )
    )


def journey(profile: ParticipantProfile) -> Journey:
    response = questionnaires.latest_response(profile.id)
    trainings = training_attended(profile)
    return Journey(
        profile=profile,
        questionnaire_sent_at=response.submitted_at if response else None,
        trainings=trainings,
        applications=list(
            db.session.scalars(
                sa.select(Application)
                .where(Application.participant_id == profile.id)
                .order_by(Application.created_at)
            )
        ),
        placements=list(
            db.session.scalars(
                sa.select(Placement)
                .where(Placement.participant_id == profile.id)
                .order_by(Placement.start_date)
            )
        ),
        events=list(
            db.session.scalars(
                sa.select(Event)
                .join(Rsvp)
                .where(Rsvp.user_id == profile.user_id, Rsvp.attended.is_(True))
                .order_by(Event.starts_at)
            )
        ),
        mentoring_hours=mentoring_hours(profile),
        training_hours=sum(t.minutes for t in trainings) / 60,
    )


# The path to a profile a coordinator can review -------------------------------------------------

# The statuses in which the participant is still on the path (they change and send the profile).
ON_THE_PATH = {Status.DRAFT, Status.CHANGES_REQUESTED}


@dataclass(frozen=True)
class PathStep:
    key: str
    label: str
    endpoint: str


PROFILE_STEP = PathStep("profile", _l("Profile details"), "participants.edit_profile")
QUESTIONNAIRE_STEP = PathStep(
    "questionnaire", _l("Needs-assessment questionnaire"), "participants.questionnaire"
)
SEND_STEP = PathStep("send", _l("Send for review"), "participants.mine")


@dataclass(frozen=True)
class ProfilePath:
    """The participant's steps to a profile the coordinator reviews, and the first one not done."""

    steps: tuple[PathStep, ...]
    current: PathStep

    @property
    def total(self) -> int:
        return len(self.steps)

    def number(self, step: PathStep) -> int:
        return self.steps.index(step) + 1

    def done(self, step: PathStep) -> bool:
        return self.number(step) < self.number(self.current)

    def has(self, key: str) -> bool:
        return any(step.key == key for step in self.steps)

    def step(self, key: str) -> PathStep:
        return next(step for step in self.steps if step.key == key)


def profile_path(user: User, profile: ParticipantProfile | None) -> ProfilePath | None:
    """Where the person stands on the path, or None once the profile is with the coordinator."""
    if profile is not None and profile.status not in ON_THE_PATH:
        return None
    site_id = profile.site_id if profile is not None else user.site_id
    has_questionnaire = site_id is not None and questionnaires.current(site_id) is not None
    steps = (
        (PROFILE_STEP, QUESTIONNAIRE_STEP, SEND_STEP)
        if has_questionnaire
        else (PROFILE_STEP, SEND_STEP)
    )
    if profile is None:
        return ProfilePath(steps, PROFILE_STEP)
    if has_questionnaire:
        response = questionnaires.latest_response(profile.id)
        if response is None or response.submitted_at is None:
            return ProfilePath(steps, QUESTIONNAIRE_STEP)
    return ProfilePath(steps, SEND_STEP)
