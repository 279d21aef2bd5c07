"""Who reads which indicators, for which sites and period, and in which form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_babel import get_locale

from marketplace import page_cache
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.indicators.figures import Scope, build
from marketplace.indicators.model import Figure, Report
from marketplace.indicators.suppression import suppress
from marketplace.page_cache import versions
from marketplace.participants.models import ParticipantProfile
from marketplace.sites.models import Site

READERS = (Role.COORDINATOR, Role.PARTNER, Role.SUPER_ADMIN)


def readable_sites(user: User) -> list[Site]:
    """Super-admins read every site; coordinators and partners their own."""
    query = sa.select(Site).order_by(Site.name)
    if not user.has_role(Role.SUPER_ADMIN):
        own = user.sites_for(Role.COORDINATOR) | user.sites_for(Role.PARTNER)
        query = query.where(Site.id.in_(own))
    return list(db.session.scalars(query))


def sees_exact_figures(user: User, sites: list[Site]) -> bool:
    """Exact, unsuppressed figures are for the coordination of every site in the report; anyone
    else (a monitoring partner) sees them anonymous."""
    if user.has_role(Role.SUPER_ADMIN):
        return True
    coordinated = user.sites_for(Role.COORDINATOR)
    return all(site.id in coordinated for site in sites)


def _zone(sites: list[Site]):
    return sites[0].zone if len(sites) == 1 else UTC


def default_period(sites: list[Site], now: datetime) -> tuple[date, date]:
    """From the first participant's registration at these sites to today: the programme so far."""
    today = now.astimezone(_zone(sites)).date()
    first = db.session.scalar(
        sa.select(sa.func.min(ParticipantProfile.created_at)).where(
            ParticipantProfile.site_id.in_([s.id for s in sites])
        )
    )
    start = first.astimezone(_zone(sites)).date() if first else today.replace(month=1, day=1)
    return min(start, today), today


def report(sites: list[Site], start: date | None, end: date | None, *, anonymous: bool) -> Report:
    """The figures of ``sites`` over the period; a day left out is the default period's. At
    programme scale they take a second or two to add up, so a copy serves the same request
    until any data changes (page_cache)."""

    def compute() -> Report:
        now = datetime.now(UTC)
        first, last = (start, end) if start and end else default_period(sites, now)
        period_end = end or last
        scope = Scope(
            site_ids=[s.id for s in sites],
            start=min(start or first, period_end),
            end=period_end,
            zone=_zone(sites),
            anonymous=anonymous,
        )
        built = build(scope, [s.name for s in sites], now)
        return suppress(built) if anonymous else built

    key = (tuple(s.id for s in sites), start, end, anonymous, str(get_locale()))
    return page_cache.remembered("indicators", key, versions.ANY, compute)


@dataclass(frozen=True)
class ComparedRow:
    key: str
    label: str
    cells: list[Figure | None]  # one per report; None where that site has no such figure


def side_by_side(reports: list[Report]) -> list[tuple[str, list[ComparedRow]]]:
    """The same indicators of several reports in columns, section by section, each row in the
    order it first appears (countries differ from site to site)."""
    if not reports:
        return []
    table = []
    for index, section in enumerate(reports[0].sections):
        columns = [{f.key: f for f in report.sections[index].figures} for report in reports]
        keys: dict[str, str] = {}
        for report in reports:
            for figure in report.sections[index].figures:
                keys.setdefault(figure.key, figure.label)
        rows = [
            ComparedRow(key, label, [c.get(key) for c in columns]) for key, label in keys.items()
        ]
        table.append((section.title, rows))
    return table


def api_figures(site_ids: set[int] | None, start: date, end: date) -> list[dict]:
    """The anonymous figures of the given sites (None: all) as plain data for partner systems."""
    query = sa.select(Site).order_by(Site.name)
    if site_ids is not None:
        query = query.where(Site.id.in_(site_ids))
    sites = list(db.session.scalars(query))
    if not sites:
        return []
    result = report(sites, start, end, anonymous=True)
    return [
        {
            "key": figure.key,
            "label": figure.label,
            "value": figure.value,
            "suppressed": figure.suppressed,
            "planned": figure.planned,
        }
        for _section, figure in result.figures()
    ]
