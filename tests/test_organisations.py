"""Organisations: registration, the coordinator's decisions, staff joining, and who sees what."""

import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.organisations.models import Organisation
from marketplace.workflow.models import StatusChange
from tests.conftest import english_client, log_in
from tests.employer_helpers import make_organisation
from tests.mail_helpers import inbox

FORM = {
    "name": "Viesnīca Baltā Pērle",
    "registration_number": "40003000001",
    "sector": "hotel",
    "address": "Brīvības iela 1",
    "city": "Rīga",
    "contact_name": "Laura",
    "contact_email": "laura@example.org",
    "contact_phone": "",
    "description": "Near the river.",
}


def test_employer_registers_and_coordinator_approves(app, signed_in_client, make_user):
    coordinator = make_user(
        Role.COORDINATOR, email="ilze@example.org", preferred_locale="en", display_name="Ilze"
    )
    hotel, owner = signed_in_client(Role.EMPLOYER_STAFF)
    response = hotel.post("/organisations/new", data={**FORM, "site": str(owner.site_id)})
    organisation = db.session.scalar(sa.select(Organisation))
    assert response.headers["Location"] == f"/organisations/{organisation.id}/manage"
    assert organisation.status == "pending"
    assert organisation.is_owner(owner)
    assert "asks to be approved" in inbox("ilze@example.org")[0].body_text

    coordinator_client = english_client(app)
    log_in(coordinator_client, coordinator)
    assert "Viesnīca Baltā Pērle" in coordinator_client.get("/review/").get_data(as_text=True)
    coordinator_client.post(f"/organisations/{organisation.id}/review/approve")

    db.session.refresh(organisation)
    assert organisation.status == "approved"
    page = hotel.get(f"/organisations/{organisation.id}/manage").get_data(as_text=True)
    assert "Ilze" in page  # the history names who decided
    changes = db.session.scalars(sa.select(StatusChange.to_status)).all()
    assert changes == ["pending", "approved"]
    assert {"organisation.pending", "organisation.approved"} <= set(
        db.session.scalars(sa.select(AuditEntry.action))
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 2


def test_rejection_needs_a_reason_that_the_employer_sees(app, signed_in_client, make_user):
    owner = make_user(Role.EMPLOYER_STAFF)
    organisation = make_organisation(app, owner, status="pending")
    coordinator, _ = signed_in_client(Role.COORDINATOR)

    coordinator.post(f"/organisations/{organisation.id}/review/reject", data={"reason": " "})
    db.session.refresh(organisation)
    assert organisation.status == "pending"

    coordinator.post(
        f"/organisations/{organisation.id}/review/reject",
        data={"reason": "Wrong registration number."},
    )
    hotel = english_client(app)
    log_in(hotel, owner)
    page = hotel.get(f"/organisations/{organisation.id}/manage").get_data(as_text=True)
    assert "Wrong registration number." in page

    hotel.post(
        f"/organisations/{organisation.id}/edit",
        data={**FORM, "registration_number": "40003000002"},
    )
    db.session.refresh(organisation)
    assert organisation.status == "pending"


def test_coordinator_of_another_site_cannot_decide(app, signed_in_client, make_user):
    owner = make_user(Role.EMPLOYER_STAFF, site="riga")
    organisation = make_organisation(app, owner, status="pending")
    other, _ = signed_in_client(Role.COORDINATOR, site="linkoping")
    assert other.post(f"/organisations/{organisation.id}/review/approve").status_code == 404
    db.session.refresh(organisation)
    assert organisation.status == "pending"


def test_suspension_and_reinstatement(app, signed_in_client, make_user):
    coordinator_user = make_user(Role.COORDINATOR)
    organisation = make_organisation(app, make_user(Role.EMPLOYER_STAFF), coordinator_user)
    coordinator = english_client(app)
    log_in(coordinator, coordinator_user)
    coordinator.post(
        f"/organisations/{organisation.id}/review/suspend",
        data={"reason": "Complaints from participants."},
    )
    db.session.refresh(organisation)
    assert organisation.status == "suspended"
    assert english_client(app).get(f"/organisations/{organisation.id}").status_code == 404
    coordinator.post(f"/organisations/{organisation.id}/review/reinstate")
    db.session.refresh(organisation)
    assert organisation.status == "approved"
    page = coordinator.post(
        f"/organisations/{organisation.id}/review/approve", follow_redirects=True
    ).get_data(as_text=True)
    assert "This is not possible in the current status" in page


def test_colleague_asks_to_join_and_the_owner_approves(app, make_user):
    owner = make_user(Role.EMPLOYER_STAFF, display_name="Laura")
    organisation = make_organisation(app, owner, make_user(Role.COORDINATOR))
    colleague = make_user(Role.EMPLOYER_STAFF, display_name="Jānis")
    colleague_client, owner_client = english_client(app), english_client(app)
    log_in(colleague_client, colleague)
    log_in(owner_client, owner)

    found = colleague_client.get("/organisations/join?q=balta perle").get_data(as_text=True)
    assert "Viesnīca Baltā Pērle" in found
    colleague_client.post(f"/organisations/{organisation.id}/join")
    db.session.refresh(organisation)
    member = organisation.member(colleague)
    assert member is not None and not member.approved
    assert colleague_client.get(f"/postings/new?organisation={organisation.id}").status_code == 404

    owner_client.post(f"/organisations/{organisation.id}/members/{member.id}/approve")
    assert colleague_client.get(f"/postings/new?organisation={organisation.id}").status_code == 200

    owner_client.post(f"/organisations/{organisation.id}/members/{member.id}/remove")
    db.session.expire_all()
    assert organisation.member(colleague) is None


def test_staff_cannot_manage_members_and_strangers_see_nothing_private(app, make_user):
    owner = make_user(Role.EMPLOYER_STAFF)
    organisation = make_organisation(app, owner, make_user(Role.COORDINATOR), status="pending")
    stranger = english_client(app)
    log_in(stranger, make_user(Role.EMPLOYER_STAFF))
    assert stranger.get(f"/organisations/{organisation.id}/manage").status_code == 404
    assert stranger.get(f"/organisations/{organisation.id}").status_code == 404
    assert stranger.get(f"/organisations/{organisation.id}/edit").status_code == 404


def test_registration_form_explains_bad_input(signed_in_client):
    hotel, _owner = signed_in_client(Role.EMPLOYER_STAFF)
    page = hotel.post(
        "/organisations/new",
        data={**FORM, "name": "", "contact_email": "nope", "site": "999", "sector": "casino"},
    )
    text = page.get_data(as_text=True)
    assert "Please enter the name." in text
    assert "like name@example.com" in text
    assert text.count("Please choose one of the options.") == 2
    assert 'value="40003000001"' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0
