from __future__ import annotations

import enum
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.applications.models import Application
from marketplace.db import Base, TimestampMixin, string_enum
from marketplace.mentors.models import MentorProfile
from marketplace.organisations.models import Organisation
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting


class PlacementStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED_EARLY = "ended_early"


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

    application: Mapped[Application] = relationship()
    participant: Mapped[ParticipantProfile] = relationship(lazy="joined")
    posting: Mapped[Posting] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship()
    mentor: Mapped[MentorProfile | None] = relationship()
