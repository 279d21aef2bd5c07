"""What belongs to one participant, for the data download and the erasure alike."""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.applications.models import Application
from marketplace.conversations.models import Message
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import Placement
from marketplace.plans.models import Plan, PlanVersion
from marketplace.workflow.models import StatusChange


def applications_of(profile: ParticipantProfile) -> sa.Select:
    return sa.select(Application.id).where(Application.participant_id == profile.id)


def placements_of(profile: ParticipantProfile) -> sa.Select:
    return sa.select(Placement.id).where(Placement.participant_id == profile.id)


def plan_versions_of(profile: ParticipantProfile) -> sa.Select:
    return (
        sa.select(PlanVersion.id)
        .join(Plan, PlanVersion.plan_id == Plan.id)
        .where(Plan.participant_id == profile.id)
    )


def status_changes_of(profile: ParticipantProfile) -> sa.ColumnElement[bool]:
    """The steps of their profile, applications and placements (the workflow records each
    object by its class name, marketplace/workflow/services.py)."""
    return sa.or_(
        sa.and_(
            StatusChange.object_type == ParticipantProfile.__name__,
            StatusChange.object_id == profile.id,
        ),
        sa.and_(
            StatusChange.object_type == Application.__name__,
            StatusChange.object_id.in_(applications_of(profile)),
        ),
        sa.and_(
            StatusChange.object_type == Placement.__name__,
            StatusChange.object_id.in_(placements_of(profile)),
        ),
    )


def conversations_of(profile: ParticipantProfile) -> sa.ColumnElement[bool]:
    """The messages about their applications and placements, whoever wrote them."""
    return sa.or_(
        sa.and_(
            Message.thread_kind == "application",
            Message.thread_id.in_(applications_of(profile)),
        ),
        sa.and_(Message.thread_kind == "placement", Message.thread_id.in_(placements_of(profile))),
    )
