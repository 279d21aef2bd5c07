from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.applications.models import Application
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum
from marketplace.mentors.models import MentorProfile
from marketplace.organisations.models import Organisation
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting


class PlacementStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


class Outcome(enum.StrEnum):
    JOB_OFFER = "job_offer"
    HIRED = "hired"
    FURTHER_STUDY = "further_study"
    NONE = "none"

    @property
    def label(self):
        return {
            Outcome.JOB_OFFER: _l("Job offer"),
            Outcome.HIRED: _l("Hired"),
            Outcome.FURTHER_STUDY: _l("Further study"),
            Outcome.NONE: _l("No outcome yet"),
        }[self]


class SessionStatus(enum.StrEnum):
    LOGGED = "logged"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class Placement(TimestampMixin, Base):
    __tablename__ = "placement"
    __table_args__ = (
        sa.Index("ix_placement_posting_status", "posting_id", "status"),
        sa.Index("ix_placement_mentor_status", "mentor_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="RESTRICT"), unique=True
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("posting.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT")
    )
    mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentor_profile.id", ondelete="RESTRICT")
    )
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    planned_hours: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(
        string_enum(PlacementStatus), default=PlacementStatus.ACTIVE
    )

    ended_on: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    # Recorded by the employer or a coordinator, also months after the end.
    outcome: Mapped[Outcome | None] = mapped_column(string_enum(Outcome))
    outcome_date: Mapped[date | None]
    job_offer_accepted: Mapped[bool | None]

    application: Mapped[Application] = relationship()
    participant: Mapped[ParticipantProfile] = relationship(lazy="joined")
    posting: Mapped[Posting] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship()
    mentor: Mapped[MentorProfile | None] = relationship()
    sessions: Mapped[list[MentoringSession]] = relationship(
        back_populates="placement", order_by="MentoringSession.held_on"
    )


class MentoringSession(TimestampMixin, Base):
    """One meeting of a mentor and a mentee, logged by the mentor and confirmed (or disputed)
    by the participant. Confirmed minutes are the mentoring hours delivered."""

    __tablename__ = "mentoring_session"
    __table_args__ = (
        sa.CheckConstraint("minutes >= 5 AND minutes <= 600", name="minutes_range"),
        sa.Index("ix_mentoring_session_placement", "placement_id", "held_on"),
        sa.Index("ix_mentoring_session_status", "status", "placement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey("placement.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    minutes: Mapped[int]
    topic: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(string_enum(SessionStatus), default=SessionStatus.LOGGED)
    dispute_note: Mapped[str] = mapped_column(sa.String(1000), default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    placement: Mapped[Placement] = relationship(back_populates="sessions")
    logged_by: Mapped[User | None] = relationship()
