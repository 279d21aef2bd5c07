"""Date arithmetic that SQLite and PostgreSQL spell differently, as SQL expressions, so that
every indicator is one aggregate query on either database."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


def _sql_function(name: str, result_type, sqlite: str, postgresql: str) -> type:
    """A SQL function written from a template per database; ``{0}``, ``{1}`` are its arguments."""
    function = type(name, (FunctionElement,), {"type": result_type, "inherit_cache": True})
    function.name = name

    def render(template: str):
        def compile_(element, compiler, **kw):
            return template.format(*(compiler.process(arg, **kw) for arg in element.clauses))

        return compile_

    compiles(function, "sqlite")(render(sqlite))
    compiles(function)(render(postgresql))
    return function


# Whole calendar days from the second argument to the first (dates or instants).
days_between = _sql_function(
    "days_between",
    sa.Integer(),
    "CAST(julianday(date({0})) - julianday(date({1})) AS INTEGER)",
    "(CAST({0} AS DATE) - CAST({1} AS DATE))",
)
# Seconds from the second instant to the first.
seconds_between = _sql_function(
    "seconds_between",
    sa.Float(),
    "((julianday({0}) - julianday({1})) * 86400.0)",
    "EXTRACT(EPOCH FROM ({0} - {1}))",
)
# 'YYYY-MM' of a date: the bucket of the charts over time.
year_month = _sql_function(
    "year_month", sa.String(), "strftime('%Y-%m', {0})", "to_char({0}, 'YYYY-MM')"
)
