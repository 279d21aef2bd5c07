from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base


class DataVersion(Base):
    """A number that goes up with every change to some part of the data (marketplace/page_cache/
    versions.py). Every app server reads it, so a copy made before a change is never used after
    it, whichever server made the copy."""

    __tablename__ = "data_version"

    name: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
