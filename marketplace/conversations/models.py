from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import Base, UTCDateTime, utcnow


class Message(Base):
    """One message in the thread of an application or a placement."""

    __tablename__ = "message"
    __table_args__ = (
        sa.CheckConstraint("thread_kind IN ('application', 'placement')", name="thread_kind"),
        sa.Index("ix_message_thread", "thread_kind", "thread_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_kind: Mapped[str] = mapped_column(sa.String(20))
    thread_id: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(sa.String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(lazy="joined")


class ThreadRead(Base):
    """How far a person has read a thread, for unread counts."""

    __tablename__ = "thread_read"
    __table_args__ = (sa.UniqueConstraint("user_id", "thread_kind", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    thread_kind: Mapped[str] = mapped_column(sa.String(20))
    thread_id: Mapped[int]
    last_read_id: Mapped[int] = mapped_column(default=0)
