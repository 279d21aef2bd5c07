"""The roles a person can hold; several per person, each (but super-admin) at one site."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    MENTOR = "mentor"
    EMPLOYER_STAFF = "employer_staff"
    COORDINATOR = "coordinator"
    # A monitoring partner (a ministry, a city council, an NGO): reads the site's anonymous
    # indicators and nothing personal.
    PARTNER = "partner"
    SUPER_ADMIN = "super_admin"

    @property
    def label(self):
        return ROLE_LABELS[self]

    @property
    def is_site_scoped(self) -> bool:
        return self is not Role.SUPER_ADMIN


ROLE_LABELS = {
    Role.PARTICIPANT: _l("Participant"),
    Role.MENTOR: _l("Mentor"),
    Role.EMPLOYER_STAFF: _l("Employer staff"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.PARTNER: _l("Monitoring partner"),
    Role.SUPER_ADMIN: _l("Super-admin"),
}

ROLE_DESCRIPTIONS = {
    Role.PARTICIPANT: _l(
        "Find mentoring slots, internships and jobs, apply for them and follow each application."
    ),
    Role.MENTOR: _l("Say when you can meet mentees, and log each mentoring session."),
    Role.EMPLOYER_STAFF: _l(
        "Post mentoring slots, internships and jobs for your organisation and review applications."
    ),
    Role.COORDINATOR: _l(
        "Approve organisations, postings and profiles at your site, and follow every placement."
    ),
    Role.PARTNER: _l(
        "Follow your site's programme indicators: anonymous figures, never personal data."
    ),
    Role.SUPER_ADMIN: _l("Manage every site, its coordinators and the audit log."),
}
