"""What an indicators report is made of: sections of figures, some of them counts of people that
add up to a total (a distribution), which is what small-cell suppression works on."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime


@dataclass(frozen=True)
class Figure:
    key: str  # stable across languages: exports' and the API's column
    label: str
    value: int | float | None
    planned: float | None = None
    # A count of people, or a figure computed from fewer people than the threshold (a median):
    # those are hidden when small. Hours and counts of sessions are not.
    people: bool = True
    # Figures with the same group add up to the figure keyed ``total`` (several groups may
    # share one total: participants by country, by age band, by gender).
    group: str | None = None
    total: str | None = None
    # Figures with the same chain count the same people cumulatively, each including the one
    # before it (outcomes within 3, 6, 12 months): their differences are cells too.
    chain: str | None = None
    # The number of people a non-count figure (a median) was computed from.
    basis: int | None = None
    suppressed: bool = False
    # The list behind the figure: an endpoint and its arguments, shown to readers allowed there.
    link: tuple[str, dict] | None = None

    def hidden(self) -> Figure:
        return replace(self, value=None, suppressed=True)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure]


@dataclass(frozen=True)
class MonthPoint:
    month: str  # "YYYY-MM"
    placements_started: int | None
    outcomes: int | None


@dataclass(frozen=True)
class Report:
    site_names: list[str]
    start: date
    end: date
    generated_at: datetime
    sections: list[Section]
    months: list[MonthPoint] = field(default_factory=list)
    # Anonymous view: only participants who agreed to funder sharing, small cells hidden.
    anonymous: bool = False
    left_out: int = 0  # participants not counted for want of consent (anonymous reports)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def figures(self):
        for section in self.sections:
            yield from ((section, figure) for figure in section.figures)
