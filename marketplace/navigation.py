"""The main menu. An entry shows only when the person may open it, judged by the view's own
access declaration, so the menu and the access rules cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.authz import access_rule_for


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object


@dataclass(frozen=True)
class NavGroup:
    """Entries shown under one heading that opens without JavaScript (a <details> element)."""

    label: object
    items: tuple[NavItem, ...]


MENU = [
    NavItem("main.home", _l("Home")),
    NavItem("postings.index", _l("Postings")),
    NavItem("main.dashboard", _l("Dashboard")),
    NavItem("organisations.mine", _l("Your organisations")),
    NavItem("participants.mine", _l("Your profile")),
    NavItem("applications.mine", _l("Your applications")),
    NavItem("mentors.mine", _l("Your mentoring")),
    NavItem("applications.mentoring", _l("Proposed mentees")),
    NavGroup(
        _l("Review"),
        (
            NavItem("review.queue", _l("Review queue")),
            NavItem("applications.approvals", _l("Approvals")),
            NavItem("matching.index", _l("Matching rounds")),
            NavItem("privacy.requests", _l("Erasure requests")),
            NavItem("audit.log", _l("Audit log")),
        ),
    ),
    NavGroup(
        _l("People"),
        (
            NavItem("participants.index", _l("Participants")),
            NavItem("mentors.search", _l("Mentors")),
            NavItem("admin.users", _l("Accounts")),
        ),
    ),
    NavGroup(
        _l("Programme"),
        (
            NavItem("indicators.dashboard", _l("Indicators")),
            NavItem("placements.index", _l("Placements")),
            NavItem("events.index", _l("Events")),
            NavItem("training.index", _l("Training")),
            NavItem("questionnaires.index", _l("Questionnaires")),
            NavItem("admin.sites", _l("Sites")),
            NavItem("sites.partners", _l("Applications across sites")),
            NavItem("open_data.tokens", _l("Open data API")),
            NavItem("mail.failed", _l("Undelivered e-mail")),
        ),
    ),
    NavItem("notifications.inbox", _l("Notifications")),
    NavItem("account.settings", _l("Your account")),
]

# Up to this many entries fit in one row on a desktop; a longer menu shows its groups.
FLAT_MENU_LIMIT = 10


def _allowed(item: NavItem) -> bool:
    rule = access_rule_for(current_app, item.endpoint)
    return rule is not None and rule.allows(current_user)


def visible_menu() -> list[NavItem | NavGroup]:
    """The entries the person may open. A short menu stays flat; in a long one, a group with more
    than one entry becomes a heading that opens."""
    entries: list[NavItem | NavGroup] = []
    for entry in MENU:
        if isinstance(entry, NavGroup):
            items = tuple(item for item in entry.items if _allowed(item))
            if items:
                entries.append(NavGroup(entry.label, items))
        elif _allowed(entry):
            entries.append(entry)
    if sum(len(e.items) if isinstance(e, NavGroup) else 1 for e in entries) <= FLAT_MENU_LIMIT:
        return _flat(entries)
    return [e.items[0] if isinstance(e, NavGroup) and len(e.items) == 1 else e for e in entries]


def _flat(entries: list[NavItem | NavGroup]) -> list[NavItem | NavGroup]:
    flat: list[NavItem | NavGroup] = []
    for entry in entries:
        flat.extend(entry.items if isinstance(entry, NavGroup) else [entry])
    return flat
