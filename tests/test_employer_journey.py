"""A hotel's way from registration to published postings that visitors find, in two languages."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.postings.models import Posting
from marketplace.workflow.models import StatusChange
from tests.clock import site_today
from tests.conftest import english_client, log_in

pytestmark = pytest.mark.clock

WORDS = {
    "en": {"found": "2 postings found", "open": "Open for applications"},
    "lv": {"found": "Atrasti 2 sludinājumi", "open": "Var pieteikties"},
}


@pytest.mark.parametrize("locale", ["en", "lv"])
def test_hotel_to_published_postings(app, make_user, locale):
    def browser(user=None):
        client = english_client(app)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
        if user is not None:
            log_in(client, user)
        return client

    owner = make_user(Role.EMPLOYER_STAFF, site="riga", display_name="Laura")
    coordinator_user = make_user(Role.COORDINATOR, site="riga", display_name="Ilze")
    hotel, coordinator, visitor = browser(owner), browser(coordinator_user), browser()

    hotel.post(
        "/organisations/new",
        data={
            "name": "Viesnīca Rīdzene",
            "registration_number": "40003123456",
            "sector": "hotel",
            "address": "Reimersa iela 1",
            "city": "Rīga",
            "site": str(owner.site_id),
            "contact_name": "Laura",
            "contact_email": "laura@example.org",
        },
    )
    organisation = db.session.scalar(sa.select(Organisation))
    coordinator.post(f"/organisations/{organisation.id}/review/approve")

    start = (site_today() + timedelta(days=30)).isoformat()
    common = {
        "content_locale": "lv",
        "location": "Reimersa iela 1",
        "start_date": start,
        "seats": "2",
        "languages-0-language": "lv",
        "languages-0-min_level": "A2",
    }
    hotel.post(
        f"/postings/new?organisation={organisation.id}",
        data={
            **common,
            "kind": "mentoring",
            "title": "Mentorings recepcijā",
            "description": "Mācieties darbu viesnīcas recepcijā.",
            "hours_per_week": "8",
        },
    )
    hotel.post(
        f"/postings/new?organisation={organisation.id}",
        data={
            **common,
            "kind": "job",
            "title": "Pavāra palīgs",
            "description": "Darbs virtuvē.",
            "hours_per_week": "40",
        },
    )
    postings = list(db.session.scalars(sa.select(Posting).order_by(Posting.id)))
    assert [p.kind for p in postings] == ["mentoring", "job"]
    for posting in postings:
        hotel.post(f"/postings/{posting.id}/submit")
        coordinator.post(f"/postings/{posting.id}/review/publish")

    found = visitor.get("/postings/?q=RIDZENE").get_data(as_text=True)
    assert WORDS[locale]["found"] in found
    assert WORDS[locale]["open"] in found
    mentoring = visitor.get("/postings/?q=ridzene&kind=mentoring&language=lv").get_data(
        as_text=True
    )
    assert "Mentorings recepcijā" in mentoring and "Pavāra palīgs" not in mentoring

    history = db.session.scalars(sa.select(StatusChange.object_type + ":" + StatusChange.to_status))
    assert list(history) == [
        "Organisation:pending",
        "Organisation:approved",
        "Posting:draft",
        "Posting:draft",
        "Posting:submitted",
        "Posting:published",
        "Posting:submitted",
        "Posting:published",
    ]
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"organisation.approved", "posting.submitted", "posting.published"} <= actions
