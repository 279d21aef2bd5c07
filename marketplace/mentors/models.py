from __future__ import annotations

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum, utcnow
from marketplace.languages import CefrLevel
from marketplace.organisations.models import Organisation
from marketplace.sites.models import Site

MAX_MENTEES_LIMIT = 10


class Expertise(enum.StrEnum):
    FRONT_OFFICE = "front_office"
    HOUSEKEEPING = "housekeeping"
    KITCHEN = "kitchen"
    SERVICE = "service"
    MANAGEMENT = "management"
    ENTREPRENEURSHIP = "entrepreneurship"

    @property
    def label(self):
        return EXPERTISE_LABELS[self]


EXPERTISE_LABELS = {
    Expertise.FRONT_OFFICE: _l("Front office and reception"),
    Expertise.HOUSEKEEPING: _l("Housekeeping"),
    Expertise.KITCHEN: _l("Kitchen"),
    Expertise.SERVICE: _l("Restaurant and bar service"),
    Expertise.MANAGEMENT: _l("Management"),
    Expertise.ENTREPRENEURSHIP: _l("Starting a business"),
}


class ProfileStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class MentorProfile(TimestampMixin, Base):
    __tablename__ = "mentor_profile"
    __table_args__ = (
        sa.CheckConstraint(
            f"max_mentees >= 1 AND max_mentees <= {MAX_MENTEES_LIMIT}", name="max_mentees_range"
        ),
        # Filled by placements; the database keeps it within the maximum.
        sa.CheckConstraint(
            "active_mentees >= 0 AND active_mentees <= max_mentees", name="mentees_within_max"
        ),
        sa.Index("ix_mentor_profile_search", "site_id", "status", "paused"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    # The organisation's owner confirms that the mentor works there.
    organisation_confirmed: Mapped[bool] = mapped_column(default=False)
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    max_mentees: Mapped[int] = mapped_column(default=2)
    active_mentees: Mapped[int] = mapped_column(default=0, server_default="0")
    paused: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(string_enum(ProfileStatus), default=ProfileStatus.DRAFT)
    review_comment: Mapped[str] = mapped_column(sa.String(2000), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    site: Mapped[Site] = relationship(lazy="joined")
    organisation: Mapped[Organisation | None] = relationship()
    expertise: Mapped[list[MentorExpertise]] = relationship(
        cascade="all, delete-orphan", order_by="MentorExpertise.id"
    )
    languages: Mapped[list[MentorLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="MentorLanguage.id"
    )
    windows: Mapped[list[AvailabilityWindow]] = relationship(
        cascade="all, delete-orphan",
        order_by="(AvailabilityWindow.weekday, AvailabilityWindow.start_time)",
    )
    unavailable: Mapped[list[Unavailability]] = relationship(
        cascade="all, delete-orphan", order_by="Unavailability.starts_on"
    )

    @property
    def free_places(self) -> int:
        return max(self.max_mentees - self.active_mentees, 0)


class MentorExpertise(Base):
    __tablename__ = "mentor_expertise"
    __table_args__ = (
        sa.UniqueConstraint("profile_id", "area"),
        sa.Index("ix_mentor_expertise_area", "area", "profile_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("mentor_profile.id", ondelete="CASCADE"))
    area: Mapped[Expertise] = mapped_column(string_enum(Expertise))


class MentorLanguage(Base):
    __tablename__ = "mentor_language"
    __table_args__ = (
        sa.UniqueConstraint("profile_id", "language"),
        sa.Index("ix_mentor_language_language", "language", "profile_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("mentor_profile.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(8))
    level: Mapped[CefrLevel] = mapped_column(string_enum(CefrLevel, 8))


class AvailabilityWindow(Base):
    """A weekly wall-clock window at the mentor's site (e.g. Tuesday 09:00 to 12:00, Riga time),
    repeated every week between two dates. Local times, so it stays 09:00 across DST."""

    __tablename__ = "availability_window"
    __table_args__ = (
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        sa.CheckConstraint("end_time > start_time", name="ends_after_start"),
        sa.CheckConstraint("valid_until >= valid_from", name="dates_in_order"),
        sa.Index("ix_availability_window_week", "weekday", "valid_from", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentor_profile.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]  # Monday is 0, as in Python's date.weekday()
    start_time: Mapped[time]
    end_time: Mapped[time]
    valid_from: Mapped[date]
    valid_until: Mapped[date]


class Unavailability(Base):
    """Days the mentor is away (holiday); their windows do not count on these dates."""

    __tablename__ = "unavailability"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.Index("ix_unavailability_profile_dates", "profile_id", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(sa.ForeignKey("mentor_profile.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    note: Mapped[str] = mapped_column(sa.String(200), default="")
