from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import Base, UTCDateTime, utcnow
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting


class Invitation(Base):
    """An employer (or coordinator) asked a suggested participant to apply; once per posting."""

    __tablename__ = "posting_invitation"
    __table_args__ = (
        sa.UniqueConstraint("posting_id", "participant_id"),
        sa.Index("ix_posting_invitation_participant", "participant_id", "posting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(sa.ForeignKey("posting.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participant_profile.id", ondelete="CASCADE")
    )
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    posting: Mapped[Posting] = relationship()
    participant: Mapped[ParticipantProfile] = relationship()
    invited_by: Mapped[User | None] = relationship()
