from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum
from marketplace.participants.models import ParticipantProfile
from marketplace.sites.models import TRAINING_CATEGORY_LABELS, TrainingCategory


class Measure(enum.StrEnum):
    """A support measure of a plan: the training categories, workplace mentoring and events."""

    LOCAL_LANGUAGE = TrainingCategory.LOCAL_LANGUAGE.value
    CULTURE = TrainingCategory.CULTURE.value
    ENTREPRENEURSHIP = TrainingCategory.ENTREPRENEURSHIP.value
    PROFESSIONAL_IDENTITY = TrainingCategory.PROFESSIONAL_IDENTITY.value
    CAREER_SUPPORT = TrainingCategory.CAREER_SUPPORT.value
    WORKPLACE_MENTORING = "workplace_mentoring"
    EVENTS = "events"

    @property
    def label(self):
        if self.value in TrainingCategory._value2member_map_:
            return TRAINING_CATEGORY_LABELS[TrainingCategory(self.value)]
        return {
            Measure.WORKPLACE_MENTORING: _l("Workplace mentoring"),
            Measure.EVENTS: _l("Events: seminars, conferences and excursions"),
        }[self]

    @property
    def training_category(self) -> TrainingCategory | None:
        return TrainingCategory._value2member_map_.get(self.value)


class VersionStatus(enum.StrEnum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    # A newer proposal came before this one was agreed.
    REPLACED = "replaced"


class Plan(TimestampMixin, Base):
    """One participant's individual plan; what it says lives in its versions."""

    __tablename__ = "individual_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE"), unique=True
    )

    participant: Mapped[ParticipantProfile] = relationship(lazy="joined")
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVersion.number"
    )


class PlanVersion(Base):
    """What was proposed, by whom and when, and who agreed to it. A change is a new version, so
    an agreement always means the text that was agreed."""

    __tablename__ = "individual_plan_version"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        # Serves the coordinators' to-do item "proposes a change to their plan".
        sa.Index("ix_individual_plan_version_status_proposed_at", "status", "proposed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("individual_plan.id", ondelete="CASCADE"))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(string_enum(VersionStatus), default=VersionStatus.PROPOSED)
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    agreed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    agreed_by: Mapped[User | None] = relationship(foreign_keys=[agreed_by_id])
    measures: Mapped[list[PlanMeasure]] = relationship(
        cascade="all, delete-orphan", order_by="PlanMeasure.id", lazy="selectin"
    )
    goals: Mapped[list[PlanGoal]] = relationship(
        cascade="all, delete-orphan", order_by="PlanGoal.position", lazy="selectin"
    )


class PlanMeasure(Base):
    __tablename__ = "individual_plan_measure"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "measure"),
        sa.CheckConstraint("planned_hours >= 1 AND planned_hours <= 2000", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("individual_plan_version.id", ondelete="CASCADE")
    )
    measure: Mapped[Measure] = mapped_column(string_enum(Measure, 40))
    planned_hours: Mapped[int]


class PlanGoal(Base):
    """A personal goal with its target date. Whether it was reached is a fact, not part of the
    agreement: a new version keeps the reached date of the same goal."""

    __tablename__ = "individual_plan_goal"
    __table_args__ = (sa.UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("individual_plan_version.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(sa.String(300))
    target_date: Mapped[date]
    reached_on: Mapped[date | None]
    reached_note: Mapped[str] = mapped_column(sa.String(500), default="")
