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


MENU = [
    NavItem("main.home", _l("Home")),
    NavItem("postings.index", _l("Postings")),
    NavItem("main.dashboard", _l("Dashboard")),
    NavItem("organisations.mine", _l("Your organisations")),
    NavItem("participants.mine", _l("Your profile")),
    NavItem("applications.mine", _l("Your applications")),
    NavItem("mentors.mine", _l("Your mentoring")),
    NavItem("applications.mentoring", _l("Proposed mentees")),
    NavItem("placements.index", _l("Placements")),
    NavItem("events.index", _l("Events")),
    NavItem("mentors.search", _l("Mentors")),
    NavItem("review.queue", _l("Review")),
    NavItem("applications.approvals", _l("Approvals")),
    NavItem("training.index", _l("Training")),
    NavItem("participants.index", _l("Participants")),
    NavItem("questionnaires.index", _l("Questionnaires")),
    NavItem("notifications.inbox", _l("Notifications")),
    NavItem("admin.users", _l("People")),
    NavItem("admin.sites", _l("Sites")),
    NavItem("audit.log", _l("Audit log")),
    NavItem("account.settings", _l("Your account")),
]


def visible_menu() -> list[NavItem]:
    items = []
    for item in MENU:
        rule = access_rule_for(current_app, item.endpoint)
        if rule is not None and rule.allows(current_user):
            items.append(item)
    return items
