from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import Base, UTCDateTime, utcnow


class ReminderLog(Base):
    """One reminder sent: the unique key makes sending twice impossible."""

    __tablename__ = "reminder_log"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str] = mapped_column(sa.String(100))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
