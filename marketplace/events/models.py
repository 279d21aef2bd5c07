from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum
from marketplace.i18n import translated
from marketplace.sites.models import Site


class EventKind(enum.StrEnum):
    SEMINAR = "seminar"
    CONFERENCE = "conference"
    EXCURSION = "excursion"
    NETWORKING = "networking"

    @property
    def label(self):
        return {
            EventKind.SEMINAR: _l("Seminar"),
            EventKind.CONFERENCE: _l("Conference"),
            EventKind.EXCURSION: _l("Excursion"),
            EventKind.NETWORKING: _l("Meeting with employers"),
        }[self]


class Event(TimestampMixin, Base):
    __tablename__ = "event"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("attending >= 0 AND attending <= capacity", name="attending_within"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_event_site_start", "site_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))
    kind: Mapped[EventKind] = mapped_column(string_enum(EventKind))
    title: Mapped[str] = mapped_column(sa.String(160))
    # The title in other languages, {locale: text}; the title above is shown where one is missing.
    title_translations: Mapped[dict[str, str]] = mapped_column(
        sa.JSON, default=dict, server_default="{}"
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int]
    attending: Mapped[int] = mapped_column(default=0, server_default="0")
    # Listed in the open data API (a city's calendar, say): only when the coordinator says so.
    public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    site: Mapped[Site] = relationship(lazy="joined")
    rsvps: Mapped[list[Rsvp]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Rsvp.id"
    )

    @property
    def translated_title(self) -> str:
        """The title in the reader's language, or the main title when it has none."""
        return translated(self.title, self.title_translations)

    @property
    def free_places(self) -> int:
        return self.capacity - self.attending


class Rsvp(Base):
    __tablename__ = "rsvp"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    attended: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="rsvps")
    user: Mapped[User] = relationship(lazy="joined")
