from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from marketplace.accounts.models import User
from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum
from marketplace.search import normalise_for_search
from marketplace.sites.models import Site
from marketplace.sites.services import may_act_at


class Sector(enum.StrEnum):
    HOTEL = "hotel"
    RESTAURANT = "restaurant"
    CATERING = "catering"
    HOTEL_SCHOOL = "hotel_school"
    OTHER = "other"

    @property
    def label(self):
        return SECTOR_LABELS[self]


SECTOR_LABELS = {
    Sector.HOTEL: _l("Hotel"),
    Sector.RESTAURANT: _l("Restaurant or café"),
    Sector.CATERING: _l("Catering"),
    Sector.HOTEL_SCHOOL: _l("Hotel or cooking school"),
    Sector.OTHER: _l("Other hospitality business"),
}


class OrganisationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class MemberRole(enum.StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisation"
    __table_args__ = (sa.Index("ix_organisation_site_status", "site_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    registration_number: Mapped[str] = mapped_column(sa.String(40))
    sector: Mapped[Sector] = mapped_column(string_enum(Sector))
    address: Mapped[str] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(80))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    contact_email: Mapped[str] = mapped_column(sa.String(254))
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(
        string_enum(OrganisationStatus), default=OrganisationStatus.PENDING
    )
    # The last reason a coordinator gave (rejection, suspension); the employer sees it.
    status_reason: Mapped[str] = mapped_column(sa.String(2000), default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    search_text: Mapped[str] = mapped_column(sa.String(400), default="")

    site: Mapped[Site] = relationship(lazy="joined")
    members: Mapped[list[OrganisationMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @validates("name", "city")
    def _refresh_search_text(self, key: str, value: str) -> str:
        name = value if key == "name" else self.name
        city = value if key == "city" else self.city
        self.search_text = normalise_for_search(f"{name or ''} {city or ''}")
        return value

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED

    def member(self, user: User) -> OrganisationMember | None:
        return next((m for m in self.members if m.user_id == user.id), None)

    def is_staff(self, user: User) -> bool:
        """An approved member (owner or staff) of this organisation who belongs to its site:
        a membership from another site gives no access, however it came about."""
        member = self.member(user)
        return member is not None and member.approved and may_act_at(user, self.site_id)

    def is_owner(self, user: User) -> bool:
        return self.is_staff(user) and self.member(user).role == MemberRole.OWNER

    def may_post(self, user: User) -> bool:
        """Only an approved organisation's staff write postings (create, edit, submit)."""
        return self.is_approved and self.is_staff(user)


class OrganisationMember(TimestampMixin, Base):
    """A person working for an organisation; others join by asking, and the owner approves."""

    __tablename__ = "organisation_member"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(string_enum(MemberRole), default=MemberRole.STAFF)
    approved: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def at_home(self) -> bool:
        """Whether the person belongs to the organisation's site, as everyone who works there
        must."""
        return may_act_at(self.user, self.organisation.site_id)
