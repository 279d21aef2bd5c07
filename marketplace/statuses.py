"""Every status name shown as a badge, in one place.

Latvian, Russian and Ukrainian participles agree with the noun's gender, so each entity's
statuses are translated with their own gettext context.
"""

from __future__ import annotations

from flask_babel import lazy_pgettext

STATUS_LABELS = {
    ("account", "active"): lazy_pgettext("account status", "active"),
    ("account", "deactivated"): lazy_pgettext("account status", "deactivated"),
    ("account", "unconfirmed"): lazy_pgettext("account status", "e-mail not confirmed"),
    ("organisation", "pending"): lazy_pgettext("organisation status", "pending"),
    ("organisation", "approved"): lazy_pgettext("organisation status", "approved"),
    ("organisation", "rejected"): lazy_pgettext("organisation status", "rejected"),
    ("organisation", "suspended"): lazy_pgettext("organisation status", "suspended"),
    ("member", "pending"): lazy_pgettext("membership status", "waiting for the owner"),
    ("member", "approved"): lazy_pgettext("membership status", "approved"),
    ("mentor", "draft"): lazy_pgettext("mentor profile status", "draft"),
    ("mentor", "submitted"): lazy_pgettext("mentor profile status", "submitted"),
    ("mentor", "approved"): lazy_pgettext("mentor profile status", "approved"),
    ("mentor", "changes_requested"): lazy_pgettext("mentor profile status", "changes requested"),
    ("mentor", "rejected"): lazy_pgettext("mentor profile status", "rejected"),
    ("application", "submitted"): lazy_pgettext("application status", "submitted"),
    ("application", "shortlisted"): lazy_pgettext("application status", "shortlisted"),
    ("application", "offered"): lazy_pgettext("application status", "offered"),
    ("application", "accepted"): lazy_pgettext("application status", "offer accepted"),
    ("application", "approved"): lazy_pgettext("application status", "approved"),
    ("application", "declined"): lazy_pgettext("application status", "declined"),
    ("application", "offer_declined"): lazy_pgettext("application status", "offer declined"),
    ("application", "withdrawn"): lazy_pgettext("application status", "withdrawn"),
    ("application", "expired"): lazy_pgettext("application status", "expired"),
    ("placement", "active"): lazy_pgettext("placement status", "active"),
    ("placement", "completed"): lazy_pgettext("placement status", "completed"),
    ("placement", "ended_early"): lazy_pgettext("placement status", "ended early"),
    ("session", "logged"): lazy_pgettext("mentoring session status", "waiting for confirmation"),
    ("session", "confirmed"): lazy_pgettext("mentoring session status", "confirmed"),
    ("session", "disputed"): lazy_pgettext("mentoring session status", "disputed"),
    ("participant", "draft"): lazy_pgettext("participant profile status", "draft"),
    ("participant", "submitted"): lazy_pgettext("participant profile status", "submitted"),
    ("participant", "approved"): lazy_pgettext("participant profile status", "approved"),
    ("participant", "changes_requested"): lazy_pgettext(
        "participant profile status", "changes requested"
    ),
    ("participant", "rejected"): lazy_pgettext("participant profile status", "rejected"),
    ("posting", "draft"): lazy_pgettext("posting status", "draft"),
    ("posting", "submitted"): lazy_pgettext("posting status", "submitted"),
    ("posting", "changes_requested"): lazy_pgettext("posting status", "changes requested"),
    ("posting", "published"): lazy_pgettext("posting status", "published"),
    ("posting", "rejected"): lazy_pgettext("posting status", "rejected"),
    ("posting", "closed"): lazy_pgettext("posting status", "closed"),
}

# Bootstrap colour of each status's badge; statuses not listed are grey.
STATUS_COLOURS = {
    "active": "success",
    "approved": "success",
    "published": "success",
    "pending": "warning",
    "unconfirmed": "warning",
    "submitted": "info",
    "shortlisted": "info",
    "offered": "primary",
    "accepted": "primary",
    "declined": "secondary",
    "offer_declined": "secondary",
    "withdrawn": "secondary",
    "expired": "secondary",
    "logged": "warning",
    "confirmed": "success",
    "disputed": "danger",
    "completed": "success",
    "changes_requested": "warning",
    "rejected": "danger",
    "suspended": "danger",
}


def status_label(entity: str, status: str | None):
    return STATUS_LABELS[(entity, status)] if status else ""


def status_colour(status: str | None) -> str:
    return STATUS_COLOURS.get(status or "", "secondary")
