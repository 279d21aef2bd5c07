"""A matching round: its postings and their capacities, the mentors' shares, the ranks people
gave, and what the engine proposed. Every input the engine saw is kept with the round, so a
published round can be read later exactly as it was decided."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.applications.models import Application
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum
from marketplace.mentors.models import MentorProfile
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting
from marketplace.sites.models import Site


class RoundStatus(enum.StrEnum):
    OPEN = "open"  # participants and the postings' staff rank
    DRAFT = "draft"  # the engine proposed pairs; the coordinator reviews them
    PUBLISHED = "published"  # the pairs became offers
    CANCELLED = "cancelled"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    RoundStatus.OPEN: lazy_pgettext("matching round status", "open for ranking"),
    RoundStatus.DRAFT: lazy_pgettext("matching round status", "draft"),
    RoundStatus.PUBLISHED: lazy_pgettext("matching round status", "published"),
    RoundStatus.CANCELLED: lazy_pgettext("matching round status", "cancelled"),
}
STATUS_COLOURS = {
    RoundStatus.OPEN: "info",
    RoundStatus.DRAFT: "warning",
    RoundStatus.PUBLISHED: "success",
    RoundStatus.CANCELLED: "secondary",
}


class PairOutcome(enum.StrEnum):
    """What publishing did with a pair."""

    OFFERED = "offered"
    NOT_OFFERED = "not_offered"

    @property
    def label(self):
        return {
            PairOutcome.OFFERED: _l("Offer sent"),
            PairOutcome.NOT_OFFERED: _l("No offer sent"),
        }[self]


class MatchingRound(TimestampMixin, Base):
    __tablename__ = "matching_round"
    __table_args__ = (
        sa.Index("ix_matching_round_site_created", "site_id", "created_at"),
        sa.CheckConstraint("runs >= 0", name="runs_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(string_enum(RoundStatus), default=RoundStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    runs: Mapped[int] = mapped_column(default=0)
    ran_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How long the engine took at the last run, in milliseconds.
    run_milliseconds: Mapped[int | None]
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Every change to the round's row checks and raises this number (UPDATE … WHERE version = n):
    # of two coordinators publishing (or running) at the same instant, one changes nothing and
    # is told so. The same guard holds on SQLite and PostgreSQL.
    version: Mapped[int] = mapped_column(default=1)

    site: Mapped[Site] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    postings: Mapped[list[RoundPosting]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundPosting.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self):
        return RoundStatus(self.status).label

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[RoundStatus(self.status)]


class RoundPosting(Base):
    """A posting taking part in a round; its capacity is what the engine saw at the last run."""

    __tablename__ = "matching_round_posting"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "posting_id"),
        sa.Index("ix_matching_round_posting_posting", "posting_id"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint(
            "open_places IS NULL OR open_places >= 0", name="open_places_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_round.id", ondelete="CASCADE"))
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("posting.id", ondelete="CASCADE"))
    # Frozen at each run: the posting's open places then, and the capacity given to the engine
    # (for a mentoring posting no more than its mentors' shares).
    open_places: Mapped[int | None]
    capacity: Mapped[int | None]

    round: Mapped[MatchingRound] = relationship(back_populates="postings")
    posting: Mapped[Posting] = relationship(lazy="joined")
    shares: Mapped[list[MentorShare]] = relationship(
        back_populates="round_posting", cascade="all, delete-orphan", order_by="MentorShare.id"
    )


class MentorShare(Base):
    """Places of one mentor given to one posting of the round: a mentor shared by several
    postings is divided among them before the run, so each posting has one capacity."""

    __tablename__ = "matching_mentor_share"
    __table_args__ = (
        sa.UniqueConstraint("round_posting_id", "mentor_id"),
        sa.Index("ix_matching_mentor_share_mentor", "mentor_id"),
        sa.CheckConstraint("places >= 1", name="at_least_one_place"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_posting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("matching_round_posting.id", ondelete="CASCADE")
    )
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("mentor_profile.id", ondelete="CASCADE"))
    places: Mapped[int]

    round_posting: Mapped[RoundPosting] = relationship(back_populates="shares")
    mentor: Mapped[MentorProfile] = relationship(lazy="joined")


class RoundEntry(Base):
    """An application in the round: the participant's number for it and the posting staff's
    number for the applicant (1 = first choice; none given = after the numbered ones), and the
    places in the strict lists the engine was given at the last run."""

    __tablename__ = "matching_round_entry"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "application_id"),
        sa.Index("ix_matching_round_entry_application", "application_id"),
        sa.CheckConstraint(
            "participant_rank IS NULL OR participant_rank >= 1", name="participant_rank_positive"
        ),
        sa.CheckConstraint(
            "posting_rank IS NULL OR posting_rank >= 1", name="posting_rank_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_round.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"))
    participant_rank: Mapped[int | None]
    posting_rank: Mapped[int | None]
    participant_position: Mapped[int | None]
    posting_position: Mapped[int | None]

    application: Mapped[Application] = relationship()


class RoundPair(Base):
    """A proposed pair: the application that would become an offer, with the mentor it would
    name. A locked pair is kept at the next run; a removed one is forbidden at it."""

    __tablename__ = "matching_round_pair"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "application_id"),
        sa.Index("ix_matching_round_pair_application", "application_id"),
        sa.CheckConstraint("NOT (locked AND removed)", name="locked_or_removed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_round.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentor_profile.id", ondelete="SET NULL")
    )
    locked: Mapped[bool] = mapped_column(default=False)
    removed: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[PairOutcome | None] = mapped_column(string_enum(PairOutcome))
    # Why no offer was sent, in the publishing coordinator's language.
    outcome_note: Mapped[str] = mapped_column(sa.String(500), default="")

    round: Mapped[MatchingRound] = relationship()
    application: Mapped[Application] = relationship()
    mentor: Mapped[MentorProfile | None] = relationship()


class UnmatchedParticipant(Base):
    """A participant the last run left without a pair, and why: for each posting they ranked,
    in their order, the engine's reason code."""

    __tablename__ = "matching_round_unmatched"
    __table_args__ = (sa.UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("matching_round.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE")
    )
    # [[posting_id, reason], …]; empty: they ranked nothing.
    reasons: Mapped[list] = mapped_column(sa.JSON, default=list)

    participant: Mapped[ParticipantProfile] = relationship()
