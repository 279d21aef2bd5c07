from __future__ import annotations

from datetime import date, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, TimestampMixin, string_enum
from marketplace.i18n import translated
from marketplace.participants.models import ParticipantProfile
from marketplace.sites.models import Site, TrainingCategory


class TrainingSession(TimestampMixin, Base):
    """A group class. Its duration counts once towards the site's training hours delivered;
    each attendee adds a participant-hour figure, reported separately."""

    __tablename__ = "training_session"
    __table_args__ = (
        sa.CheckConstraint("minutes >= 5 AND minutes <= 600", name="minutes_range"),
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("enrolled >= 0 AND enrolled <= capacity", name="enrolled_within"),
        sa.Index("ix_training_session_site_day", "site_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))
    category: Mapped[TrainingCategory] = mapped_column(string_enum(TrainingCategory, 40))
    title: Mapped[str] = mapped_column(sa.String(160))
    # The title in other languages, {locale: text}; the title above is shown where one is missing.
    title_translations: Mapped[dict[str, str]] = mapped_column(
        sa.JSON, default=dict, server_default="{}"
    )
    held_on: Mapped[date]
    starts_at: Mapped[time]  # wall-clock time at the site
    minutes: Mapped[int]
    trainer: Mapped[str] = mapped_column(sa.String(120))
    capacity: Mapped[int]
    enrolled: Mapped[int] = mapped_column(default=0, server_default="0")

    site: Mapped[Site] = relationship(lazy="joined")
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Enrolment.id"
    )

    @property
    def translated_title(self) -> str:
        """The title in the reader's language, or the main title when it has none."""
        return translated(self.title, self.title_translations)


class Enrolment(Base):
    __tablename__ = "training_enrolment"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "participant_id"),
        # Hours attended per category add up from this index alone, without reading the rows.
        sa.Index("ix_training_enrolment_session_attended", "session_id", "attended"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_session.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE"), index=True
    )
    attended: Mapped[bool] = mapped_column(default=False)

    session: Mapped[TrainingSession] = relationship(back_populates="enrolments")
    participant: Mapped[ParticipantProfile] = relationship(lazy="joined")
