from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, TimestampMixin


class Site(TimestampMixin, Base):
    """A programme location (Riga, Linköping) with its own coordinators, clock and languages."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    country_code: Mapped[str] = mapped_column(sa.String(2))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    default_locale: Mapped[str] = mapped_column(sa.String(8))
    local_locale: Mapped[str] = mapped_column(sa.String(8))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"
