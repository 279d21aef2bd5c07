"""The audit log as a CSV file for an auditor: every entry the log's filters find, streamed.

The file starts with a byte order mark, so a spreadsheet opened by double-click reads it as
UTF-8 and shows Latvian and Cyrillic names as they are. Rows are read from the database in
batches and written as they come: the memory used does not grow with the log.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.audit.labels import action_label, describe, object_type_label
from marketplace.audit.models import AuditEntry
from marketplace.audit.services import AuditFilters, visible_entries_query
from marketplace.extensions import db

BATCH = 500
BYTE_ORDER_MARK = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheets; names and titles people
# typed must stay text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """What csv.writer writes to: hands each written line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def filename(zone: tzinfo) -> str:
    """Named after the day it was made, in the reader's zone."""
    return f"audit-log-{datetime.now(UTC).astimezone(zone).date().isoformat()}.csv"


def _header(zone: tzinfo) -> list[str]:
    return [
        _("Time (%(zone)s)", zone=str(zone)),
        _("Who"),
        _("E-mail"),
        _("Site"),
        _("Action"),
        _("Action code"),
        _("Object"),
        _("Object ID"),
        _("Details"),
        _("IP address"),
    ]


def _row(entry: AuditEntry, zone: tzinfo) -> list:
    actor: User | None = entry.actor
    return [
        entry.created_at.astimezone(zone).isoformat(timespec="seconds"),
        _cell(actor.display_name if actor else ""),
        _cell(actor.email if actor else ""),
        _cell(entry.site.name if entry.site else ""),
        _cell(action_label(entry.action)),
        _cell(entry.action),
        _cell(object_type_label(entry.object_type) if entry.object_type else ""),
        entry.object_id if entry.object_id is not None else "",
        _cell(describe(entry)),
        _cell(entry.ip_address),
    ]


def csv_lines(viewer: User, filters: AuditFilters) -> Iterator[str]:
    """The file's lines: the header, then every entry ``viewer`` may read that ``filters`` find,
    newest first, times in ``filters.zone``. Translated in the language of the request."""
    writer = csv.writer(_Line())
    yield BYTE_ORDER_MARK + writer.writerow(_header(filters.zone))
    query = visible_entries_query(viewer, filters).options(sa.orm.joinedload(AuditEntry.site))
    for entry in db.session.scalars(query.execution_options(yield_per=BATCH)):
        yield writer.writerow(_row(entry, filters.zone))
