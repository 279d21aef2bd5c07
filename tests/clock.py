"""Dates as the site counts them, for tests.

A test never takes today from the machine's date: between 21:00 and 24:00 UTC Riga is already in
tomorrow, and a test that mixes the machine's date with the site's fails at that hour.
``site_today()`` is the date on the site's own clock, which the app uses for deadlines, ages,
sessions and reminders; under MARKETPLACE_TEST_NOW it follows the travelled clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from marketplace.sites.clock import today_at
from marketplace.sites.models import Site

# The zone of the tests' default site (make_site("riga")).
RIGA = ZoneInfo("Europe/Riga")


def site_today(site: Site | None = None) -> date:
    """Today at ``site``, or at the tests' default site (Riga) when none is given."""
    if site is not None:
        return today_at(site)
    return datetime.now(UTC).astimezone(RIGA).date()


def site_now(site: Site | None = None) -> datetime:
    """The current instant in ``site``'s zone (Riga's when none is given)."""
    return datetime.now(UTC).astimezone(site.zone if site is not None else RIGA)
