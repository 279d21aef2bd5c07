"""A participant's journey through the programme, and the figures on their certificate.

The hours are the delivery-tracking figures: confirmed mentoring sessions, and training
sessions the person attended.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.applications.models import Application
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
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
