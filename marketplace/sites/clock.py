"""The date at a site: deadlines and ages are calendar dates in the site's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from marketplace.sites.models import Site


def today_at(site: Site, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(site.zone).date()
