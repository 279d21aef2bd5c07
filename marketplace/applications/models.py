from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum, utcnow
from marketplace.mentors.models import MentorProfile
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    APPROVED = "approved"
    DECLINED = "declined"
    OFFER_DECLINED = "offer_declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


OPEN_STATUSES = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
}
# From shortlisting on, the employer may see who the applicant is.
DISCLOSED_STATUSES = {
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.OFFERED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.OFFER_DECLINED,
}


class DeclineReason(enum.StrEnum):
    BETTER_FIT = "better_fit"
    LANGUAGE = "language"
    TIMING = "timing"
    FULL = "full"
    OTHER = "other"

    @property
    def label(self):
        return {
            DeclineReason.BETTER_FIT: _l("Another applicant fits this place better"),
            DeclineReason.LANGUAGE: _l("The language level is not enough yet"),
            DeclineReason.TIMING: _l("The dates or hours do not fit"),
            DeclineReason.FULL: _l("All places are taken"),
            DeclineReason.OTHER: _l("Another reason"),
        }[self]


class MentorResponse(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class MentorDeclineReason(enum.StrEnum):
    NO_TIME = "no_time"
    NOT_MY_FIELD = "not_my_field"
    OTHER = "other"

    @property
    def label(self):
        return {
            MentorDeclineReason.NO_TIME: _l("I have no time in those weeks"),
            MentorDeclineReason.NOT_MY_FIELD: _l("This is not my field"),
            MentorDeclineReason.OTHER: _l("Another reason"),
        }[self]


class Application(TimestampMixin, Base):
    __tablename__ = "application"
    __table_args__ = (
        # One application per participant per posting, whatever happens to it.
        sa.UniqueConstraint("participant_id", "posting_id"),
        sa.Index("ix_application_posting_status", "posting_id", "status"),
        sa.Index("ix_application_participant_status", "participant_id", "status"),
        # A posting's applicants a page at a time, in the order they applied.
        sa.Index("ix_application_posting_created_at", "posting_id", "created_at"),
        # Accepted offers waiting for approval, oldest change first, without reading the rest.
        sa.Index("ix_application_status_updated_at", "status", "updated_at"),
        sa.CheckConstraint(
            "offer_end_date IS NULL OR offer_start_date IS NULL "
            "OR offer_end_date >= offer_start_date",
            name="offer_ends_after_start",
        ),
        sa.CheckConstraint(
            "offer_hours_per_week IS NULL "
            "OR (offer_hours_per_week > 0 AND offer_hours_per_week <= 60)",
            name="offer_hours_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE")
    )
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("posting.id", ondelete="CASCADE"))
    motivation: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(
        string_enum(ApplicationStatus), default=ApplicationStatus.SUBMITTED
    )
    decline_reason: Mapped[DeclineReason | None] = mapped_column(string_enum(DeclineReason))
    decline_note: Mapped[str] = mapped_column(sa.String(1000), default="")
    # For a mentoring posting the offer names a mentor, who accepts or declines.
    mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentor_profile.id", ondelete="SET NULL"), index=True
    )
    mentor_response: Mapped[MentorResponse | None] = mapped_column(string_enum(MentorResponse))
    mentor_decline_reason: Mapped[MentorDeclineReason | None] = mapped_column(
        string_enum(MentorDeclineReason)
    )
    coordinator_comment: Mapped[str] = mapped_column(sa.String(2000), default="")
    # The offer's terms, prefilled from the posting when the employer offers the place.
    offer_start_date: Mapped[date | None]
    offer_end_date: Mapped[date | None]
    offer_hours_per_week: Mapped[int | None]
    offer_place: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    offer_contact: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    offer_message: Mapped[str] = mapped_column(sa.String(2000), default="", server_default="")
    # The day by which the participant is asked to answer; the offer stays open after it.
    offer_answer_by: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    participant: Mapped[ParticipantProfile] = relationship(lazy="joined")
    posting: Mapped[Posting] = relationship(lazy="joined")
    mentor: Mapped[MentorProfile | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def returned_with_comment(self) -> bool:
        """A coordinator sent the accepted offer back; their comment says what must change."""
        return self.status == ApplicationStatus.OFFERED and bool(self.coordinator_comment)

    @property
    def has_offer_terms(self) -> bool:
        return self.offer_start_date is not None

    @property
    def identity_disclosed(self) -> bool:
        return self.status in DISCLOSED_STATUSES
