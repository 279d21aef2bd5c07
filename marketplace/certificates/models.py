from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import Base, UTCDateTime
from marketplace.participants.models import ParticipantProfile

CODE_LENGTH = 12


class Certificate(Base):
    """An issued certificate. What it certifies is a snapshot taken when it was issued, so the
    paper an employer holds and the public check of its code always agree, whatever happens
    later. A re-issue is a new row; the older one stays, marked replaced on its public page."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE"), index=True
    )
    # Stored without separators and in capitals; shown in groups of four (services.formatted).
    code: Mapped[str] = mapped_column(sa.String(CODE_LENGTH), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    snapshot: Mapped[dict] = mapped_column(sa.JSON)

    participant: Mapped[ParticipantProfile] = relationship()
    issued_by: Mapped[User | None] = relationship()
