from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base


class PublicPagesVersion(Base):
    """One row whose number goes up whenever something public pages show changes; every app
    server reads it, so a copy of a page made before the change is never served after it."""

    __tablename__ = "public_pages_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
