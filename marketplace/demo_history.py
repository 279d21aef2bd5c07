"""Moving what the demo's services stamped "now" to the days it happened in the story.

The demo is made through the services, as people would make it, all at the moment it loads;
then the instants of steps taken weeks ago are set to those weeks, in the site's zone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.sites.models import Site
from marketplace.workflow.models import StatusChange


def at(site: Site, day: date, hour: int = 10) -> datetime:
    """The instant of a wall-clock hour on a day at the site."""
    return datetime.combine(day, time(hour), tzinfo=site.zone)


def history(
    obj, first: datetime, step: timedelta = timedelta(days=2), last: datetime | None = None
) -> None:
    """Spread the object's recorded steps out from ``first``, one ``step`` apart; the final
    step at ``last`` when given (a posting closes when its last place is taken). Returns
    how many steps there are."""
    changes = list(
        db.session.scalars(
            sa.select(StatusChange)
            .where(StatusChange.object_type == type(obj).__name__, StatusChange.object_id == obj.id)
            .order_by(StatusChange.id)
        )
    )
    for number, change in enumerate(changes):
        change.created_at = first + number * step
    if changes and last is not None:
        changes[-1].created_at = last
    return len(changes)


def last_notification_id() -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Notification.id), 0)))


def notifications_since(after_id: int, when: datetime, read: bool) -> None:
    """Date the notifications sent after ``after_id``; those of long ago have been read."""
    db.session.execute(
        sa.update(Notification)
        .where(Notification.id > after_id)
        .values(created_at=when, read_at=when + timedelta(hours=3) if read else None)
    )
