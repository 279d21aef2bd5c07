"""Query parameters of the API, read strictly: a value the API cannot use is a 400 with a
message that names the parameter, never a silent default."""

from __future__ import annotations

from datetime import date

from flask import request

from marketplace.indicators.forms import YEARS

LARGEST_PAGE = 10_000  # far past any real list; keeps the offset small
PER_PAGE_DEFAULT, PER_PAGE_MAX = 20, 100


class BadParameter(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(name: str, longest: int = 100) -> str:
    value = request.args.get(name, "")
    if len(value) > longest or "\x00" in value:
        raise BadParameter(f"'{name}' must be at most {longest} characters.")
    return value.strip()


def choice(name: str, allowed) -> str | None:
    value = request.args.get(name, "")
    if not value:
        return None
    if value not in allowed:
        raise BadParameter(f"'{name}' must be one of: {', '.join(sorted(allowed))}.")
    return value


def whole_number(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, "")
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadParameter(f"'{name}' must be a whole number from {low} to {high}.")
    return int(value)


def day(name: str) -> date | None:
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        chosen = date.fromisoformat(value)
    except ValueError:
        chosen = None
    if chosen is None or chosen.year not in YEARS:
        raise BadParameter(f"'{name}' must be a date from 2000-01-01 to 2099-12-31.")
    return chosen


def page() -> tuple[int, int]:
    return (
        whole_number("page", 1, 1, LARGEST_PAGE),
        whole_number("per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX),
    )
