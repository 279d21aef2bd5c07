"""Chart geometry worked out on the server, drawn by templates/indicators/_charts.html as HTML
bars and an SVG line, so charts need no script, no CDN, and print as they show."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date

from marketplace.indicators.model import Figure, MonthPoint


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    planned: float | None
    percent: float  # of the widest value or plan in the chart
    planned_percent: float | None


def bars(figures: list[Figure]) -> list[Bar]:
    """One bar per figure with a value, scaled to the largest value or plan among them."""
    widest = max(
        [f.value or 0 for f in figures] + [f.planned or 0 for f in figures] + [1],
    )
    return [
        Bar(
            f.label,
            f.value,
            f.planned,
            100 * (f.value or 0) / widest,
            100 * f.planned / widest if f.planned else None,
        )
        for f in figures
    ]


@dataclass(frozen=True)
class Line:
    name: str
    css_class: str
    # SVG polyline points, one string per unbroken stretch: a hidden (small) month breaks it.
    segments: list[str]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    bottom: int
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[tuple[float, int]]


WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 44, 30, 12, 36


def _nice_top(largest: int) -> int:
    for step in (4, 8, 12, 20, 40, 60, 100, 200, 400, 1000, 2000, 4000, 10000):
        if largest <= step:
            return step
    return largest


def line_chart(months: list[MonthPoint], names: dict[str, str]) -> LineChart | None:
    if not months:
        return None
    largest = max([m.placements_started or 0 for m in months] + [m.outcomes or 0 for m in months])
    top = _nice_top(max(largest, 1))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(months) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(value: int) -> float:
        return round(TOP + inner_h - inner_h * value / top, 1)

    lines = []
    for attribute, css_class in (("placements_started", "started"), ("outcomes", "outcomes")):
        segments, current = [], []
        for i, month in enumerate(months):
            value = getattr(month, attribute)
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            current.append(f"{x(i)},{y(value)}")
        if current:
            segments.append(" ".join(current))
        lines.append(Line(names[attribute], css_class, segments))
    every = max(1, math.ceil(len(months) / 6))  # six labels fit on a phone
    ticks = [
        Tick(x(i), format_date(_first_day(m.month), "MMM yy"))
        for i, m in enumerate(months)
        if i % every == 0
    ]
    y_ticks = [(y(value), value) for value in (0, top // 4, top // 2, 3 * top // 4, top)]
    return LineChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, lines, ticks, y_ticks)


def _first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)
