"""Training sessions, enrolment within capacity, attendance, and hours against the plan."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.organisations.services import is_site_coordinator
from marketplace.participants.models import ParticipantProfile
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.problems import CapacityReached, NotAllowed
from marketplace.search import text_matches
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site, TrainingCategory
from marketplace.training.models import Enrolment, TrainingSession


def create(actor: User, site: Site, values: dict) -> TrainingSession:
    if not is_site_coordinator(actor, site.id):
        raise NotAllowed
    session = TrainingSession(site_id=site.id, **values)
    db.session.add(session)
    db.session.flush()
    audit.record(
        "training.created", actor=actor, obj=session, site_id=site.id, summary=session.title
    )
    db.session.commit()
    return session


def enrol(actor: User, session: TrainingSession, profile: ParticipantProfile) -> bool:
    """Enrol a participant if a place is free; False if already enrolled. Raises CapacityReached."""
    if not is_site_coordinator(actor, session.site_id) or profile.site_id != session.site_id:
        raise NotAllowed
    if any(e.participant_id == profile.id for e in session.enrolments):
        return False
    taken = db.session.execute(
        sa.update(TrainingSession)
        .where(
            TrainingSession.id == session.id, TrainingSession.enrolled < TrainingSession.capacity
        )
        .values(enrolled=TrainingSession.enrolled + 1)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise CapacityReached(_("The session is full: every place is taken."))
    db.session.add(Enrolment(session_id=session.id, participant_id=profile.id))
    db.session.commit()
    return True


def record_attendance(actor: User, session: TrainingSession, present: set[int]) -> None:
    """Mark who came (enrolment ids); the others are marked absent."""
    if not is_site_coordinator(actor, session.site_id):
        raise NotAllowed
    for enrolment in session.enrolments:
        enrolment.attended = enrolment.id in present
    audit.record(
        "training.attendance",
        actor=actor,
        obj=session,
        site_id=session.site_id,
        summary=str(len(present)),
    )
    db.session.commit()


def sessions_of(site_ids: set[int] | None) -> sa.Select:
    query = sa.select(TrainingSession)
    if site_ids is not None:
        query = query.where(TrainingSession.site_id.in_(site_ids))
    return query.order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())


def enrollable(session: TrainingSession, words: str, limit: int) -> list[ParticipantProfile]:
    """Approved participants of the session's site, not enrolled yet, whose name or e-mail
    contains ``words``: at most ``limit``, in name order. A site has thousands of participants,
    so the page searches rather than lists them."""
    enrolled = sa.select(Enrolment.id).where(
        Enrolment.session_id == session.id, Enrolment.participant_id == ParticipantProfile.id
    )
    return list(
        db.session.scalars(
            sa.select(ParticipantProfile)
            .join(ParticipantProfile.user)
            .where(
                ParticipantProfile.site_id == session.site_id,
                ParticipantProfile.status == ParticipantStatus.APPROVED,
                text_matches(User, words),
                ~enrolled.exists(),
            )
            .order_by(User.display_name, User.id)
            .limit(limit)
            .options(sa.orm.contains_eager(ParticipantProfile.user))
        )
    )


@dataclass
class CategoryHours:
    category: TrainingCategory
    planned: int
    delivered: float  # sum of the durations of sessions held
    participant_hours: float  # sum over attendees of those durations


def hours_against_plan(site: Site) -> list[CategoryHours]:
    """Delivered training hours per category (sessions held up to today at the site)."""
    today = today_at(site)
    delivered = dict(
        db.session.execute(
            sa.select(TrainingSession.category, sa.func.sum(TrainingSession.minutes))
            .where(TrainingSession.site_id == site.id, TrainingSession.held_on <= today)
            .group_by(TrainingSession.category)
        ).all()
    )
    attended = dict(
        db.session.execute(
            sa.select(TrainingSession.category, sa.func.sum(TrainingSession.minutes))
            .join(Enrolment)
            .where(
                TrainingSession.site_id == site.id,
                TrainingSession.held_on <= today,
                Enrolment.attended.is_(True),
            )
            .group_by(TrainingSession.category)
        ).all()
    )
    return [
        CategoryHours(
            category,
            site.planned_hours(category),
            (delivered.get(category) or 0) / 60,
            (attended.get(category) or 0) / 60,
        )
        for category in TrainingCategory
    ]
