from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum, utcnow
from marketplace.languages import CefrLevel
from marketplace.mentors.models import Expertise
from marketplace.sites.models import Site


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"

    @property
    def label(self):
        return {
            Gender.FEMALE: _l("Woman"),
            Gender.MALE: _l("Man"),
            Gender.OTHER: _l("Another gender"),
            Gender.PREFER_NOT_TO_SAY: _l("I prefer not to say"),
        }[self]


class WorkPermit(enum.StrEnum):
    NOT_NEEDED = "not_needed"
    HAS_PERMIT = "has_permit"
    APPLIED = "applied"
    NONE = "none"

    @property
    def label(self):
        return {
            WorkPermit.NOT_NEEDED: _l("I do not need one (for example, EU citizen)"),
            WorkPermit.HAS_PERMIT: _l("I have a work permit"),
            WorkPermit.APPLIED: _l("I have applied for a work permit"),
            WorkPermit.NONE: _l("I do not have a work permit"),
        }[self]


class HeardFrom(enum.StrEnum):
    FRIEND = "friend"
    SOCIAL_MEDIA = "social_media"
    EMPLOYMENT_SERVICE = "employment_service"
    SCHOOL = "school"
    OTHER = "other"

    @property
    def label(self):
        return {
            HeardFrom.FRIEND: _l("From a friend or family"),
            HeardFrom.SOCIAL_MEDIA: _l("On social media"),
            HeardFrom.EMPLOYMENT_SERVICE: _l("From the employment service"),
            HeardFrom.SCHOOL: _l("At a school or language course"),
            HeardFrom.OTHER: _l("Another way"),
        }[self]


class Support(enum.StrEnum):
    """What the programme recommends for a participant after the needs assessment."""

    LANGUAGE = "language"
    NON_FORMAL_EDUCATION = "non_formal_education"
    CAREER_SUPPORT = "career_support"
    MENTORING = "mentoring"

    @property
    def label(self):
        return {
            Support.LANGUAGE: _l("Language training"),
            Support.NON_FORMAL_EDUCATION: _l("Non-formal education"),
            Support.CAREER_SUPPORT: _l("Career support"),
            Support.MENTORING: _l("Workplace mentoring"),
        }[self]


class ProfileStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class ParticipantProfile(TimestampMixin, Base):
    __tablename__ = "participant_profile"
    # Also the review queue's order: a site's profiles in one status, longest waiting first.
    __table_args__ = (
        sa.Index(
            "ix_participant_profile_site_status_updated_at", "site_id", "status", "updated_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    # A calendar date: ages are counted on the site's local date.
    date_of_birth: Mapped[date]
    gender: Mapped[Gender | None] = mapped_column(string_enum(Gender))
    country_of_origin: Mapped[str] = mapped_column(sa.String(2))
    local_language_level: Mapped[CefrLevel | None] = mapped_column(string_enum(CefrLevel, 8))
    education: Mapped[str] = mapped_column(sa.Text, default="")
    work_experience: Mapped[str] = mapped_column(sa.Text, default="")
    work_permit: Mapped[WorkPermit] = mapped_column(string_enum(WorkPermit))
    work_permit_expires_on: Mapped[date | None]
    # When the person can take a place: calendar dates, both optional; matching prefers
    # postings that start between them.
    available_from: Mapped[date | None]
    available_until: Mapped[date | None]
    heard_from: Mapped[HeardFrom | None] = mapped_column(string_enum(HeardFrom))
    # The CV is stored under a generated name; the original name is only shown.
    cv_stored_name: Mapped[str | None] = mapped_column(sa.String(64))
    cv_original_name: Mapped[str | None] = mapped_column(sa.String(200))
    cv_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(string_enum(ProfileStatus), default=ProfileStatus.DRAFT)
    review_comment: Mapped[str] = mapped_column(sa.String(2000), default="")
    # Coordinators only: never shown to employers or to the participant.
    interview_notes: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    site: Mapped[Site] = relationship(lazy="joined")
    languages: Mapped[list[ParticipantLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ParticipantLanguage.id"
    )
    interests: Mapped[list[ParticipantInterest]] = relationship(
        cascade="all, delete-orphan", order_by="ParticipantInterest.id"
    )
    support: Mapped[list[RecommendedSupport]] = relationship(
        cascade="all, delete-orphan", order_by="RecommendedSupport.id"
    )


class ParticipantLanguage(Base):
    __tablename__ = "participant_language"
    __table_args__ = (sa.UniqueConstraint("profile_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE")
    )
    language: Mapped[str] = mapped_column(sa.String(8))
    level: Mapped[CefrLevel] = mapped_column(string_enum(CefrLevel, 8))


class ParticipantInterest(Base):
    __tablename__ = "participant_interest"
    __table_args__ = (sa.UniqueConstraint("profile_id", "area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE")
    )
    area: Mapped[Expertise] = mapped_column(string_enum(Expertise))


class RecommendedSupport(Base):
    __tablename__ = "recommended_support"
    __table_args__ = (sa.UniqueConstraint("profile_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE")
    )
    kind: Mapped[Support] = mapped_column(string_enum(Support))
