"""A small world for the open data API: two sites, open and draft postings, and an event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from marketplace.accounts.roles import Role
from marketplace.events import services as events
from marketplace.events.models import EventKind
from marketplace.postings.models import PostingKind, PostingStatus
from tests.clock import site_now
from tests.employer_helpers import make_organisation, make_posting


@dataclass
class ApiWorld:
    riga_job: object
    riga_mentoring: object
    draft: object
    linkoping_job: object
    event: object
    admin: object


def api_world(app, make_user, make_site) -> ApiWorld:
    riga, _linkoping = make_site("riga"), make_site("linkoping")
    coordinator = make_user(Role.COORDINATOR)
    owner = make_user(Role.EMPLOYER_STAFF, display_name="Laura")
    organisation = make_organisation(app, owner, coordinator, name="Viesnīca Rīga")
    riga_job = make_posting(
        app, organisation, owner, coordinator, kind=PostingKind.JOB, title="Pavārs",
    )  # fmt: skip
    riga_mentoring = make_posting(app, organisation, owner, coordinator)
    draft = make_posting(app, organisation, owner, status=PostingStatus.DRAFT, title="Melnraksts")
    swedish_owner = make_user(Role.EMPLOYER_STAFF, site="linkoping")
    swedish_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    hotel = make_organisation(app, swedish_owner, swedish_coordinator, name="Hotell Stångån")
    linkoping_job = make_posting(
        app, hotel, swedish_owner, swedish_coordinator, kind=PostingKind.JOB, title="Kock",
    )  # fmt: skip
    starts = site_now().replace(microsecond=0) + timedelta(days=3)
    with app.test_request_context():
        event = events.create(coordinator, riga.id, {
            "kind": EventKind.SEMINAR, "title": "Darba tirgus", "venue": "Rīgas bibliotēka",
            "starts_at": starts, "ends_at": starts + timedelta(hours=2), "capacity": 30,
            "public": True,
        })  # fmt: skip
        # An excursion only for the programme's people: not in the API.
        events.create(coordinator, riga.id, {
            "kind": EventKind.EXCURSION, "title": "Ekskursija", "venue": "Sigulda",
            "starts_at": starts, "ends_at": starts + timedelta(hours=5), "capacity": 20,
        })  # fmt: skip
    admin = make_user(Role.SUPER_ADMIN)
    return ApiWorld(riga_job, riga_mentoring, draft, linkoping_job, event, admin)
