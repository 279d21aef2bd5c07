"""Factories for organisations and postings, built through the services as people would."""

from datetime import timedelta

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.organisations import services as organisations
from marketplace.organisations.models import OrganisationStatus, Sector
from marketplace.postings import services as postings
from marketplace.postings.models import PostingKind, PostingStatus
from tests.clock import site_today


def organisation_values(**changes) -> dict:
    values = {
        "name": "Viesnīca Baltā Pērle",
        "registration_number": "40003000001",
        "sector": Sector.HOTEL,
        "address": "Brīvības iela 1",
        "city": "Rīga",
        "contact_name": "Laura",
        "contact_email": "laura@example.org",
        "contact_phone": "",
        "description": "",
    }
    return {**values, **changes}


def posting_values(**changes) -> dict:
    start = site_today() + timedelta(days=40)
    values = {
        "kind": PostingKind.MENTORING,
        "title": "Mentorings recepcijā",
        "description": "Darbs viesnīcas recepcijā.",
        "content_locale": "lv",
        "location": "Brīvības iela 1",
        "start_date": start,
        "end_date": None,
        "hours_per_week": 10,
        "seats": 2,
        "work_permit_required": False,
        "application_deadline": site_today() + timedelta(days=20),
    }
    return {**values, **changes}


def make_organisation(app, owner, coordinator=None, status=OrganisationStatus.APPROVED, **changes):
    with app.test_request_context():
        organisation = organisations.register(
            owner, organisation_values(site_id=owner.site_id, **changes)
        )
        if status != OrganisationStatus.PENDING:
            organisations.review(coordinator, organisation, status, reason="Not complete")
    return organisation


def make_posting(
    app,
    organisation,
    author,
    coordinator=None,
    status=PostingStatus.PUBLISHED,
    languages=(("lv", CefrLevel.A2),),
    **changes,
):
    # A posting that has already started was sent and published before its start date.
    started = changes.get("start_date") and changes["start_date"] < site_today(organisation.site)
    start = changes.pop("start_date") if started else None
    with app.test_request_context():
        posting = postings.create(author, organisation, posting_values(**changes), list(languages))
        if status != PostingStatus.DRAFT:
            postings.submit(author, posting)
        if status not in {PostingStatus.DRAFT, PostingStatus.SUBMITTED}:
            postings.review(coordinator, posting, status, comment="Please add the hours.")
    if start is not None:
        posting.start_date = start
        db.session.commit()
    return posting


def employer_world(app, make_user, site="riga"):
    """An approved hotel with its owner, and the site's coordinator."""
    owner = make_user(Role.EMPLOYER_STAFF, site=site, display_name="Laura")
    coordinator = make_user(Role.COORDINATOR, site=site, display_name="Ilze")
    organisation = make_organisation(app, owner, coordinator)
    return organisation, owner, coordinator
