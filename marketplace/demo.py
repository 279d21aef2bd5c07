"""Demo sites and people, so that every role can be tried right after ``make run``."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from marketplace.accounts.models import ConsentRecord, RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.auth.services import PRIVACY_NOTICE_VERSION
from marketplace.db import utcnow
from marketplace.demo_applications import load_applications
from marketplace.demo_delivery import load_delivery
from marketplace.demo_employers import load_employers
from marketplace.demo_history import history
from marketplace.demo_matching import load_matching
from marketplace.demo_mentors import load_mentors
from marketplace.demo_messages import load_messages
from marketplace.demo_participants import load_participants
from marketplace.demo_placements import load_placements
from marketplace.demo_plans import load_plans
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.organisations.models import Organisation
from marketplace.participants import services as participants
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting
from marketplace.privacy import erasure
from marketplace.sites.models import Site, SiteHoursPlan, TrainingCategory

DEMO_PASSWORD = "demo-mentoring-2026"

SITES = [
    dict(slug="riga", name="Riga", country_code="LV", timezone="Europe/Riga",
         default_locale="lv", local_locale="lv"),
    dict(slug="linkoping", name="Linköping", country_code="SE", timezone="Europe/Stockholm",
         default_locale="sv", local_locale="sv"),
]  # fmt: skip

# (e-mail, name, home site, preferred language, roles held at the home site)
PEOPLE = [
    ("admin@example.org", "Marta Ozola", "riga", "en", [Role.SUPER_ADMIN]),
    ("coordinator.riga@example.org", "Ilze Kalniņa", "riga", "lv", [Role.COORDINATOR]),
    ("coordinator.linkoping@example.org", "Karin Lindqvist", "linkoping", "sv",
     [Role.COORDINATOR]),
    # A monitoring partner: the city council's integration office reads Riga's indicators.
    ("partner.riga@example.org", "Dace Bērziņa", "riga", "lv", [Role.PARTNER]),
    ("hotel.riga@example.org", "Laura Vītola", "riga", "lv", [Role.EMPLOYER_STAFF]),
    ("mentor.riga@example.org", "Jānis Liepiņš", "riga", "lv",
     [Role.EMPLOYER_STAFF, Role.MENTOR]),
    ("hotel.linkoping@example.org", "Erik Johansson", "linkoping", "sv", [Role.EMPLOYER_STAFF]),
    ("mentor.linkoping@example.org", "Sara Nilsson", "linkoping", "sv", [Role.MENTOR]),
    ("priya@example.org", "Priya Sharma", "riga", "en", [Role.PARTICIPANT]),
    ("oleksandr@example.org", "Oleksandr Koval", "riga", "uk", [Role.PARTICIPANT]),
    ("dilshod@example.org", "Dilshod Karimov", "riga", "ru", [Role.PARTICIPANT]),
    ("nimal@example.org", "Nimal Perera", "linkoping", "en", [Role.PARTICIPANT]),
    ("aliaksandra@example.org", "Aliaksandra Ivanova", "linkoping", "ru", [Role.PARTICIPANT]),
    ("anastasia@example.org", "Anastasia Smirnova", "linkoping", "sv", [Role.PARTICIPANT]),
    ("artem@example.org", "Artem Volkov", "riga", "ru", [Role.PARTICIPANT]),
    ("kavya@example.org", "Kavya Nair", "riga", "en", [Role.PARTICIPANT]),
    ("mariia@example.org", "Mariia Bondarenko", "linkoping", "uk", [Role.PARTICIPANT]),
]  # fmt: skip


# Days since each participant registered; the others have been with the programme longer.
# Oleksandr's profile has waited for review for more than a week, and Anastasia has not
# started hers, so the first ``flask reminders send`` has something to remind of.
JOINED_DAYS_AGO = {"priya@example.org": 45, "oleksandr@example.org": 12,
                   "dilshod@example.org": 4, "nimal@example.org": 40,
                   "aliaksandra@example.org": 20, "anastasia@example.org": 21,
                   "artem@example.org": 110, "kavya@example.org": 180,
                   "mariia@example.org": 150}  # fmt: skip
STAFF_JOINED_DAYS_AGO = 300


# Planned group-training hours per site, as a programme plans them for its funders.
HOURS_PLANS = {
    "riga": {TrainingCategory.LOCAL_LANGUAGE: 200, TrainingCategory.CULTURE: 50,
             TrainingCategory.ENTREPRENEURSHIP: 50, TrainingCategory.PROFESSIONAL_IDENTITY: 100,
             TrainingCategory.CAREER_SUPPORT: 50},
    "linkoping": {TrainingCategory.LOCAL_LANGUAGE: 120, TrainingCategory.CULTURE: 30,
                  TrainingCategory.ENTREPRENEURSHIP: 20, TrainingCategory.PROFESSIONAL_IDENTITY: 40,
                  TrainingCategory.CAREER_SUPPORT: 30},
}  # fmt: skip


def ensure_sites() -> dict[str, Site]:
    sites = {site.slug: site for site in db.session.scalars(sa.select(Site))}
    for values in SITES:
        if values["slug"] not in sites:
            site = Site(**values)
            site.hours_plan = [
                SiteHoursPlan(category=category, planned_hours=hours)
                for category, hours in HOURS_PLANS[values["slug"]].items()
            ]
            sites[values["slug"]] = site
            db.session.add(site)
    db.session.flush()
    return sites


def load_demo_data() -> int:
    """Create the demo sites and accounts on an empty database; returns accounts created."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return 0
    sites = ensure_sites()
    method = current_app.config["PASSWORD_HASH_METHOD"]
    password_hash = None
    for email, name, site_slug, locale, roles in PEOPLE:
        site = sites[site_slug]
        user = User(email=email, display_name=name, site=site, preferred_locale=locale)
        # Every demo account has the same password: hashing it once keeps the load quick.
        if password_hash is None:
            user.set_password(DEMO_PASSWORD, method)
            password_hash = user.password_hash
        user.password_hash = password_hash
        user.email_confirmed_at = utcnow()
        db.session.add(
            ConsentRecord(
                user=user, kind="privacy_notice", version=PRIVACY_NOTICE_VERSION, given_at=utcnow()
            )
        )
        for role in roles:
            user.role_grants.append(
                RoleGrant(role=role, site=None if role is Role.SUPER_ADMIN else site)
            )
        db.session.add(user)
    db.session.commit()
    load_employers()
    load_mentors()
    load_participants()
    load_applications()
    load_placements()
    load_delivery()
    load_plans()
    load_messages()
    load_matching()
    _date_the_past()
    _issue_certificates()
    _ask_for_erasure()
    # The matching round brings participants of its own.
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def _ask_for_erasure() -> None:
    """Aziz has asked for his data to be erased, so Ilze finds the request on her home page and
    can confirm it (and the indicators stay as they were)."""
    aziz = db.session.scalar(sa.select(User).where(User.email == "aziz@example.org"))
    erasure.request_erasure(aziz)


def _issue_certificates() -> None:
    """Kavya's internship is over: her coordinator has issued her certificate, so its page and
    the public check of its code can be tried (the code is printed on the certificate)."""
    issued_by = db.session.scalar(
        sa.select(User).where(User.email == "coordinator.riga@example.org")
    )
    kavya = db.session.scalar(
        sa.select(ParticipantProfile).join(User).where(User.email == "kavya@example.org")
    )
    participants.issue_certificate(issued_by, kavya)


def _date_the_past() -> None:
    """The people joined, and the organisations, mentors and postings were reviewed, on days
    before the placements, training and events of the demo's story (which date their own)."""
    now = utcnow()
    for user in db.session.scalars(sa.select(User)):
        days = JOINED_DAYS_AGO.get(user.email, STAFF_JOINED_DAYS_AGO)
        user.created_at = user.email_confirmed_at = now - timedelta(days=days)
    for consent in db.session.scalars(sa.select(ConsentRecord)):
        consent.given_at = consent.user.created_at
    for profile in db.session.scalars(sa.select(ParticipantProfile)):
        profile.created_at = profile.user.created_at + timedelta(days=1)
        steps = history(profile, profile.created_at)
        profile.updated_at = profile.created_at + (steps - 1) * timedelta(days=2)
    for organisation in db.session.scalars(sa.select(Organisation)):
        history(organisation, now - timedelta(days=STAFF_JOINED_DAYS_AGO - 5))
        organisation.status_changed_at = now - timedelta(days=STAFF_JOINED_DAYS_AGO - 3)
    for mentor in db.session.scalars(sa.select(MentorProfile)):
        history(mentor, now - timedelta(days=STAFF_JOINED_DAYS_AGO - 10))
    for posting in db.session.scalars(sa.select(Posting)):
        if posting.published_at is not None and not posting.filled_seats:
            history(posting, posting.published_at - timedelta(days=4))
    db.session.commit()
