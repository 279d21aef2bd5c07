from __future__ import annotations

import enum
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import Base, TimestampMixin, string_enum


class TrainingCategory(enum.StrEnum):
    """Kinds of group training counted in hours against each site's plan."""

    LOCAL_LANGUAGE = "local_language"
    CULTURE = "culture"
    ENTREPRENEURSHIP = "entrepreneurship"
    PROFESSIONAL_IDENTITY = "professional_identity"
    CAREER_SUPPORT = "career_support"

    @property
    def label(self):
        return TRAINING_CATEGORY_LABELS[self]


TRAINING_CATEGORY_LABELS = {
    TrainingCategory.LOCAL_LANGUAGE: _l("Local language"),
    TrainingCategory.CULTURE: _l("Culture and society"),
    TrainingCategory.ENTREPRENEURSHIP: _l("Entrepreneurship"),
    TrainingCategory.PROFESSIONAL_IDENTITY: _l("Professional identity"),
    TrainingCategory.CAREER_SUPPORT: _l("Career support"),
}


class Site(TimestampMixin, Base):
    """A programme location (Riga, Linköping) with its own coordinators, clock and languages."""

    __tablename__ = "site"
    __table_args__ = (
        sa.CheckConstraint(
            "min_participant_age >= 0 AND max_participant_age >= min_participant_age",
            name="age_bounds",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    country_code: Mapped[str] = mapped_column(sa.String(2))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    default_locale: Mapped[str] = mapped_column(sa.String(8))
    local_locale: Mapped[str] = mapped_column(sa.String(8))
    # The programme's age rule, checked on the site's local date.
    min_participant_age: Mapped[int] = mapped_column(default=18, server_default="18")
    max_participant_age: Mapped[int] = mapped_column(default=30, server_default="30")
    # How many applications a participant may have open at once.
    max_open_applications: Mapped[int] = mapped_column(default=5, server_default="5")
    # After this many months without a login, a participant who never had a placement is
    # anonymised by `flask privacy purge`; None keeps everyone until they ask.
    retention_months: Mapped[int | None]
    # Coordinators and super-admins of the site must log in with a second step (two_factor/).
    staff_second_factor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    hours_plan: Mapped[list[SiteHoursPlan]] = relationship(
        back_populates="site", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def planned_hours(self, category: TrainingCategory) -> int:
        return next((p.planned_hours for p in self.hours_plan if p.category == category), 0)

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"


class SiteHoursPlan(Base):
    """Planned training hours of one category at one site, reported against hours delivered."""

    __tablename__ = "site_hours_plan"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "category"),
        sa.CheckConstraint("planned_hours >= 0", name="planned_hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))
    category: Mapped[TrainingCategory] = mapped_column(string_enum(TrainingCategory, 40))
    planned_hours: Mapped[int]

    site: Mapped[Site] = relationship(back_populates="hours_plan")


class SitePartnership(TimestampMixin, Base):
    """Two sites that accept each other's participants as applicants. Without a row, people act
    only within their own site. One row per pair, the lower site id first."""

    __tablename__ = "site_partnership"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "partner_site_id"),
        sa.CheckConstraint("site_id < partner_site_id", name="one_row_per_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))
    partner_site_id: Mapped[int] = mapped_column(
        sa.ForeignKey("site.id", ondelete="CASCADE"), index=True
    )
