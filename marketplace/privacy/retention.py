"""How long a site keeps participants who stopped coming: after the site's ``retention_months``
without a login, a participant who never had a placement is anonymised as an erasure would
(erasure.py). Placed participants are kept: their placements are the programme's results, and
they are erased only when they ask. Run by ``flask privacy purge`` from cron."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import Placement
from marketplace.privacy import erasure
from marketplace.sites.models import Site


@dataclass(frozen=True)
class Purged:
    user_id: int
    site: str


def months_before(instant: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the month's last day when the
    day does not exist there, as 31 March → 28 February)."""
    month_index = instant.year * 12 + instant.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - date.resolution).day
    return instant.replace(year=year, month=month, day=min(instant.day, last_day))


def due(site: Site, now: datetime) -> sa.Select:
    """Participants of ``site`` past its retention: not erased, never placed, and neither
    logged in nor registered since the cut-off."""
    cutoff = months_before(now, site.retention_months)
    placed = sa.select(Placement.participant_id)
    return (
        sa.select(User)
        .join(ParticipantProfile, ParticipantProfile.user_id == User.id)
        .where(
            ParticipantProfile.site_id == site.id,
            User.erased_at.is_(None),
            ParticipantProfile.id.not_in(placed),
            sa.func.coalesce(User.last_login_at, User.created_at) < cutoff,
        )
        .order_by(User.id)
    )


def purge(now: datetime, *, dry_run: bool = False) -> list[Purged]:
    """Anonymise everyone past their site's retention (or only list them, ``dry_run``). Each
    person is committed on their own, so a run that stops halfway is finished by the next."""
    purged = []
    sites = db.session.scalars(sa.select(Site).where(Site.retention_months.is_not(None)))
    for site in list(sites):
        for user in list(db.session.scalars(due(site, now))):
            purged.append(Purged(user.id, site.slug))
            if not dry_run:
                erasure.erase(None, user)
    return purged
