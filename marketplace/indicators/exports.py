"""Funder exports of an anonymous report: CSV and XLSX with the same rows.

The first rows state the sites, the period, when it was made and how many participants were
left out for want of consent; then one row per figure. Numbers stay numbers and dates dates, so a
spreadsheet can sum them; a hidden small cell is the text "<5".
"""

from __future__ import annotations

import csv
import io

from flask_babel import format_datetime
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from marketplace.indicators.model import Report
from marketplace.indicators.suppression import THRESHOLD

HIDDEN = f"<{THRESHOLD}"


def _header(result: Report) -> list[list]:
    return [
        [_("Sites"), ", ".join(result.site_names)],
        [_("Period from"), result.start],
        [_("Period to"), result.end],
        [_("Generated"), format_datetime(result.generated_at, "yyyy-MM-dd HH:mm zzz")],
        [_("Participants left out (no consent to share with funders)"), result.left_out],
        [
            _(
                "Counts of fewer than %(n)d people are shown as %(hidden)s.",
                n=THRESHOLD,
                hidden=HIDDEN,
            )
        ],
        [],
        [_("Section"), _("Indicator"), _("Code"), _("Value"), _("Planned")],
    ]


def _rows(result: Report) -> list[list]:
    return [
        [
            section.title,
            figure.label,
            figure.key,
            HIDDEN if figure.suppressed else figure.value,
            figure.planned,
        ]
        for section, figure in result.figures()
    ]


def file_stem(result: Report) -> str:
    return f"indicators-{result.start.isoformat()}-{result.end.isoformat()}"


def to_csv(result: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _header(result) + _rows(result):
        writer.writerow(["" if cell is None else cell for cell in row])
    # A byte order mark makes Excel read the file as UTF-8 (Latvian and Cyrillic names).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")[:31]
    header = _header(result)
    for row in header + _rows(result):
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2, max_row=3, min_col=2, max_col=2):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    for cell in sheet[len(header)]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=len(header) + 1, column=1)
    for column, width in zip("ABCDE", (28, 60, 40, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
