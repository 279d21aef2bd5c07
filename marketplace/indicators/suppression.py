"""Small-cell suppression: no published figure lets a reader single out fewer than five people.

Primary suppression hides every count of people from 1 to 4 (a zero says nobody, and stays).
Secondary suppression then makes sure a hidden cell cannot be worked out from its total: in
every distribution (cells adding up to a total) that hides exactly one cell, the smallest other
non-zero cell is hidden too, or the total when there is none. A total under five hides its whole
distribution. Of cumulative counts (within 3, 6 and 12 months), a count that exceeds the last
one shown by 1 to 4 is hidden, so no two shown counts differ by a small number. A median over
fewer than five people is hidden.
"""

from __future__ import annotations

from dataclasses import replace

from marketplace.indicators.model import Figure, MonthPoint, Report

THRESHOLD = 5


def is_small(value: int | float | None) -> bool:
    return value is not None and 0 < value < THRESHOLD


def _primary(figure: Figure) -> Figure:
    if figure.basis is not None:
        return figure.hidden() if figure.basis < THRESHOLD else figure
    if figure.people and is_small(figure.value):
        return figure.hidden()
    return figure


def suppress_figures(figures: list[Figure]) -> list[Figure]:
    """The figures with small cells hidden, primary then secondary, in their original order."""
    result = {f.key: _primary(f) for f in figures}
    groups: dict[str, tuple[str, list[str]]] = {}
    for f in figures:
        if f.group:
            groups.setdefault(f.group, (f.total, []))[1].append(f.key)
    # Hiding a total for one distribution changes the others sharing it: repeat until stable.
    changed = True
    while changed:
        changed = False
        for total_key, cells in groups.values():
            if result[total_key].suppressed:
                newly = [key for key in cells if not result[key].suppressed]
                for key in newly:
                    result[key] = result[key].hidden()
                changed |= bool(newly)
                continue
            if sum(result[key].suppressed for key in cells) != 1:
                continue
            candidates = sorted(
                (key for key in cells if not result[key].suppressed and result[key].value),
                key=lambda key: result[key].value,
            )
            hide = candidates[0] if candidates else total_key
            result[hide] = result[hide].hidden()
            changed = True
    _suppress_chains(figures, result)
    return [result[f.key] for f in figures]


def _suppress_chains(figures: list[Figure], result: dict[str, Figure]) -> None:
    chains: dict[str, list[str]] = {}
    for f in figures:
        if f.chain:
            chains.setdefault(f.chain, []).append(f.key)
    for keys in chains.values():
        last_shown = 0
        for key in keys:
            figure = result[key]
            if figure.suppressed:
                continue
            if is_small(figure.value - last_shown):
                result[key] = figure.hidden()
            else:
                last_shown = figure.value


def suppress(report: Report) -> Report:
    sections = [replace(s, figures=suppress_figures(s.figures)) for s in report.sections]
    months = [
        MonthPoint(
            m.month,
            None if is_small(m.placements_started) else m.placements_started,
            None if is_small(m.outcomes) else m.outcomes,
        )
        for m in report.months
    ]
    return replace(report, sections=sections, months=months)
