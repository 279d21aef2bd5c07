"""Every status name shown as a badge, in one place.

Latvian, Russian and Ukrainian participles agree with the noun's gender, so each entity's
statuses are translated with their own gettext context.
"""

from __future__ import annotations

from flask_babel import lazy_pgettext

STATUS_LABELS = {
    ("account", "active"): lazy_pgettext("account status", "active"),
    ("account", "deactivated"): lazy_pgettext("account status", "deactivated"),
}

# Bootstrap colour of each status's badge; statuses not listed are grey.
STATUS_COLOURS = {"active": "success", "deactivated": "secondary"}


def status_label(entity: str, status: str):
    return STATUS_LABELS[(entity, status)]


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")
