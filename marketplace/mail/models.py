from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, TimestampMixin, UTCDateTime, string_enum


class OutboxStatus(enum.StrEnum):
    """Where a message is on its way out.

    ``sending`` means claimed by one sender until ``claim_until``; a claim left to expire (its
    sender died) is taken over by the next one. ``failed`` is final: nothing retries it until a
    coordinator sends it again.
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(TimestampMixin, Base):
    __tablename__ = "outbox_message"
    # The senders' question, "what is due now?", reads this index only.
    __table_args__ = (sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254), index=True)
    locale: Mapped[str] = mapped_column(sa.String(8))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[OutboxStatus] = mapped_column(
        string_enum(OutboxStatus, length=16),
        default=OutboxStatus.PENDING,
        server_default=OutboxStatus.PENDING.value,
    )
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # None: due at once (a new message, or one sent again).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(100))
    claim_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
