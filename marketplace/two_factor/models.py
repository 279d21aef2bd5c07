from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime


class SecondFactor(Base):
    """A person's authenticator app. ``last_step`` is the 30-second step of the last code
    accepted, so a code seen over someone's shoulder cannot be used a second time."""

    __tablename__ = "second_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    secret: Mapped[str] = mapped_column(sa.String(64))
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_step: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class RecoveryCode(Base):
    """One single-use code for a lost phone; only its hash is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
