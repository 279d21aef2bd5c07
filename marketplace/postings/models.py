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
from marketplace.organisations.models import Organisation
from marketplace.sites.models import Site


class PostingKind(enum.StrEnum):
    MENTORING = "mentoring"
    JOB = "job"
    INTERNSHIP = "internship"

    @property
    def label(self):
        return KIND_LABELS[self]


KIND_LABELS = {
    PostingKind.MENTORING: _l("Mentoring slot"),
    PostingKind.JOB: _l("Job"),
    PostingKind.INTERNSHIP: _l("Internship"),
}


class PostingStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    REJECTED = "rejected"
    CLOSED = "closed"


class ClosedReason(enum.StrEnum):
    BY_OWNER = "by_owner"
    FILLED = "filled"
    DEADLINE = "deadline"


class Posting(TimestampMixin, Base):
    __tablename__ = "posting"
    __table_args__ = (
        sa.CheckConstraint("seats >= 1", name="at_least_one_place"),
        sa.CheckConstraint(
            "filled_seats >= 0 AND filled_seats <= seats", name="filled_within_seats"
        ),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ends_after_start"),
        sa.CheckConstraint("hours_per_week > 0 AND hours_per_week <= 60", name="hours_in_range"),
        # The public list filters published postings by these; each filter has an index.
        sa.Index("ix_posting_status_published", "status", "published_at"),
        sa.Index("ix_posting_status_deadline", "status", "application_deadline"),
        sa.Index("ix_posting_site_status", "site_id", "status"),
        sa.Index("ix_posting_kind_status", "kind", "status"),
        sa.Index("ix_posting_start_date", "start_date"),
        # Recommendations take the published postings that start soonest.
        sa.Index("ix_posting_status_start_date", "status", "start_date"),
        sa.Index("ix_posting_organisation", "organisation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    # The organisation's site, kept here so the public list filters by site with an index.
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    kind: Mapped[PostingKind] = mapped_column(string_enum(PostingKind))
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text)
    content_locale: Mapped[str] = mapped_column(sa.String(8))
    location: Mapped[str] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(80), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    hours_per_week: Mapped[int]
    seats: Mapped[int]
    filled_seats: Mapped[int] = mapped_column(default=0, server_default="0")
    work_permit_required: Mapped[bool] = mapped_column(default=False)
    # A calendar date at the posting's site: applications close at the end of that local day.
    application_deadline: Mapped[date | None]
    status: Mapped[str] = mapped_column(string_enum(PostingStatus), default=PostingStatus.DRAFT)
    review_comment: Mapped[str] = mapped_column(sa.String(2000), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str | None] = mapped_column(string_enum(ClosedReason))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Title, description and organisation name, normalised for search (see search.py).
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    organisation: Mapped[Organisation] = relationship()
    site: Mapped[Site] = relationship()
    created_by: Mapped[User | None] = relationship()
    languages: Mapped[list[PostingLanguage]] = relationship(
        back_populates="posting", cascade="all, delete-orphan", order_by="PostingLanguage.id"
    )
    areas: Mapped[list[PostingArea]] = relationship(
        cascade="all, delete-orphan", order_by="PostingArea.id"
    )

    @property
    def open_seats(self) -> int:
        return self.seats - self.filled_seats


class PostingLanguage(Base):
    """A language the posting requires, with the lowest CEFR level that is enough."""

    __tablename__ = "posting_language"
    __table_args__ = (
        sa.UniqueConstraint("posting_id", "language"),
        sa.Index("ix_posting_language_language", "language", "posting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("posting.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(8))
    min_level: Mapped[CefrLevel] = mapped_column(string_enum(CefrLevel, 8))

    posting: Mapped[Posting] = relationship(back_populates="languages")


class PostingArea(Base):
    """A work area of the posting: the same list as participants' interests and mentors'
    expertise, so the three can be matched."""

    __tablename__ = "posting_area"
    __table_args__ = (
        sa.UniqueConstraint("posting_id", "area"),
        sa.Index("ix_posting_area_area", "area", "posting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("posting.id", ondelete="CASCADE"))
    area: Mapped[Expertise] = mapped_column(string_enum(Expertise))
