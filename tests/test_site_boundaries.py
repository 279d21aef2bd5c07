"""People act within their own site; the only way across is two sites that accept each other's
applicants, set up by a coordinator of both. Postings are written only for approved
organisations."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import RoleGrant
from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.applications.models import Application
from marketplace.events import services as events
from marketplace.events.models import Rsvp
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.organisations.models import Organisation, OrganisationMember
from marketplace.participants import services as participants
from marketplace.postings.models import Posting
from marketplace.sites.models import SitePartnership
from tests.application_helpers import (
    approved_participant,
    make_world,
    offer_terms,
    posting_for,
)
from tests.conftest import english_client, log_in
from tests.employer_helpers import employer_world, make_organisation, make_posting
from tests.mentor_helpers import make_mentor
from tests.participant_helpers import PDF


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def coordinator_of_both(make_user, make_site):
    person = make_user(Role.COORDINATOR, site="riga", display_name="Marta")
    person.role_grants.append(RoleGrant(role=Role.COORDINATOR, site=make_site("linkoping")))
    db.session.commit()
    return person


# Joining an organisation --------------------------------------------------------------------


def test_employer_cannot_ask_to_join_an_organisation_of_another_site(app, make_user):
    organisation, _owner, _coordinator = employer_world(app, make_user)
    stranger = make_user(Role.EMPLOYER_STAFF, site="linkoping", display_name="Erik")
    client = client_for(app, stranger)

    assert "Baltā Pērle" not in client.get("/organisations/join?q=balta").get_data(as_text=True)
    assert client.post(f"/organisations/{organisation.id}/join").status_code == 404
    db.session.refresh(organisation)
    assert organisation.member(stranger) is None


def test_membership_from_another_site_gives_no_access_and_cannot_be_approved(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Please.")
        applications.shortlist(world.owner, application)
        participants.store_cv(profile.user, profile, "cv.pdf", PDF)
    # Two people of Linköping made their way into a Riga hotel before the rule held.
    approved = make_user(Role.EMPLOYER_STAFF, site="linkoping")
    waiting = make_user(Role.EMPLOYER_STAFF, site="linkoping", display_name="Erik")
    world.organisation.members += [
        OrganisationMember(user=approved, approved=True),
        OrganisationMember(user=waiting, approved=False),
    ]
    db.session.commit()

    reader = client_for(app, approved)
    assert reader.get(f"/applications/posting/{posting.id}").status_code == 404
    assert reader.get(f"/applications/{application.id}").status_code == 404
    assert reader.get(f"/participants/{profile.id}/cv").status_code == 404
    assert reader.get(f"/postings/new?organisation={world.organisation.id}").status_code == 404

    owner = client_for(app, world.owner)
    page = owner.get(f"/organisations/{world.organisation.id}/manage").get_data(as_text=True)
    assert "Belongs to another programme site" in page
    member = world.organisation.member(waiting)
    owner.post(f"/organisations/{world.organisation.id}/members/{member.id}/approve")
    db.session.refresh(member)
    assert not member.approved


def test_employer_registers_an_organisation_only_at_their_own_site(app, make_user, make_site):
    linkoping = make_site("linkoping")
    owner = make_user(Role.EMPLOYER_STAFF, site="riga")
    client = client_for(app, owner)
    assert "Linköping" not in client.get("/organisations/new").get_data(as_text=True)
    client.post(
        "/organisations/new",
        data={
            "name": "Hotell Stångån", "registration_number": "556000-0000", "sector": "hotel",
            "address": "Storgatan 1", "city": "Linköping", "site": str(linkoping.id),
            "contact_name": "Laura", "contact_email": "laura@example.org",
        },
    )  # fmt: skip
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


# Applying -----------------------------------------------------------------------------------


def test_participant_cannot_apply_to_a_posting_of_another_site(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job")
    coordinator = make_user(Role.COORDINATOR, site="linkoping")
    profile = approved_participant(app, make_user, coordinator, site="linkoping")
    client = client_for(app, profile.user)

    page = client.get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "at another programme site" in page
    answer = client.post(
        f"/applications/apply/{posting.id}",
        data={"motivation": "I can move."},
        follow_redirects=True,
    )
    assert "at another programme site" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0


def cross_site_application(app, make_user):
    """The coordinator of both sites lets them accept each other's applicants on the page; then
    a Linköping participant applies to a Riga posting on the posting's page."""
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job")
    linkoping_coordinator = make_user(Role.COORDINATOR, site="linkoping", display_name="Karin")
    profile = approved_participant(app, make_user, linkoping_coordinator, site="linkoping")
    both = make_user(Role.COORDINATOR, site="riga", display_name="Marta")
    both.role_grants.append(RoleGrant(role=Role.COORDINATOR, site=profile.site))
    db.session.commit()

    answer = client_for(app, both).post(
        f"/sites/{posting.site_id}/partners",
        data={"partner": str(profile.site_id), "accepted": "1"},
        follow_redirects=True,
    )
    assert "may now apply to each other&#39;s postings" in answer.get_data(as_text=True)
    applicant = client_for(app, profile.user)
    assert "at another programme site" not in applicant.get(f"/postings/{posting.id}").get_data(
        as_text=True
    )
    applicant.post(f"/applications/apply/{posting.id}", data={"motivation": "I can move."})
    return world, linkoping_coordinator, db.session.scalar(sa.select(Application))


def test_partner_sites_accept_each_others_applicants_and_both_coordinators_see_them(app, make_user):
    world, linkoping_coordinator, application = cross_site_application(app, make_user)
    assert application is not None
    assert application.posting.site_id != application.participant.site_id
    for coordinator in (world.coordinator, linkoping_coordinator):
        assert (
            client_for(app, coordinator).get(f"/applications/{application.id}").status_code == 200
        )
    # The posting's site acts on it; the participant's own coordinator follows it.
    client_for(app, linkoping_coordinator).post(f"/applications/{application.id}/shortlist")
    db.session.refresh(application)
    assert application.status == "submitted"


def test_own_coordinator_sees_an_application_made_at_another_site(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job")
    linkoping_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    profile = approved_participant(app, make_user, linkoping_coordinator, site="linkoping")
    # Made before the rule held: the application stays, and both sites' coordinators follow it.
    application = Application(
        participant=profile, posting=posting, motivation="", status="submitted"
    )
    db.session.add(application)
    db.session.commit()
    assert (
        client_for(app, linkoping_coordinator).get(f"/applications/{application.id}").status_code
        == 200
    )
    other = make_user(Role.COORDINATOR, site="tartu")
    assert client_for(app, other).get(f"/applications/{application.id}").status_code == 404


def test_only_a_coordinator_of_both_sites_lets_them_accept_each_others_applicants(
    app, make_user, make_site
):
    riga, linkoping = make_site("riga"), make_site("linkoping")
    form = {"partner": str(linkoping.id), "accepted": "1"}
    riga_only = client_for(app, make_user(Role.COORDINATOR, site="riga"))
    page = riga_only.get("/sites/partners").get_data(as_text=True)
    assert "Linköping ↔ Riga" in page and "Accept each other" not in page
    assert riga_only.post(f"/sites/{riga.id}/partners", data=form).status_code == 403
    linkoping_only = client_for(app, make_user(Role.COORDINATOR, site="linkoping"))
    assert linkoping_only.post(f"/sites/{riga.id}/partners", data=form).status_code == 404
    participant = client_for(app, make_user(Role.PARTICIPANT))
    assert participant.post(f"/sites/{riga.id}/partners", data=form).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SitePartnership)) == 0

    both = client_for(app, coordinator_of_both(make_user, make_site))
    assert "Accept each other" in both.get("/sites/partners").get_data(as_text=True)
    both.post(f"/sites/{riga.id}/partners", data=form)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SitePartnership)) == 1
    both.post(f"/sites/{linkoping.id}/partners", data={"partner": str(riga.id)})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SitePartnership)) == 0

    admin = client_for(app, make_user(Role.SUPER_ADMIN))
    admin.post(f"/sites/{linkoping.id}/partners", data={"partner": str(riga.id), "accepted": "1"})
    pair = db.session.scalar(sa.select(SitePartnership))
    assert (pair.site_id, pair.partner_site_id) == (
        min(riga.id, linkoping.id),
        max(riga.id, linkoping.id),
    )


# Offers and events --------------------------------------------------------------------------


def test_offer_names_only_mentors_of_the_postings_site(app, make_user, make_site):
    world = make_world(app, make_user)
    posting = posting_for(app, world)
    linkoping_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    independent = make_user(Role.MENTOR, site="linkoping", display_name="Sara Nilsson")
    make_mentor(app, independent, linkoping_coordinator, windows=[(1, time(9), time(12))])
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Please.")
        applications.shortlist(world.owner, application)
    both = coordinator_of_both(make_user, make_site)

    sara = db.session.scalar(
        sa.select(MentorProfile).where(MentorProfile.user_id == independent.id)
    )
    client = client_for(app, both)

    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Jānis" in page and "Sara Nilsson" not in page
    client.post(f"/applications/{application.id}/offer", data=offer_terms(posting, sara))
    db.session.refresh(application)
    assert (application.status, application.mentor_id) == ("shortlisted", None)


def test_event_sign_up_only_at_ones_own_site(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    start = datetime.now(UTC) + timedelta(days=7)
    with app.test_request_context():
        event = events.create(coordinator, coordinator.site_id, {
            "kind": "excursion", "title": "Visit", "description": "", "venue": "Hotel",
            "starts_at": start, "ends_at": start + timedelta(hours=2), "capacity": 5})  # fmt: skip
    organisation, _owner, _coordinator = employer_world(app, make_user)
    # Staff of a Riga hotel who belongs to Linköping is no guest at Riga's events.
    elsewhere = make_user(Role.EMPLOYER_STAFF, site="linkoping")
    organisation.members.append(OrganisationMember(user=elsewhere, approved=True))
    db.session.commit()
    assert client_for(app, elsewhere).post(f"/events/{event.id}/sign-up").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


# Postings of approved organisations only ----------------------------------------------------

POSTING_FORM = {
    "kind": "job",
    "title": "Pavāra palīgs",
    "description": "Darbs virtuvē.",
    "content_locale": "lv",
    "location": "Brīvības iela 1",
    "start_date": "2030-03-01",
    "hours_per_week": "40",
    "seats": "1",
    "languages-0-language": "lv",
    "languages-0-min_level": "A2",
}


def test_rejected_organisation_cannot_create_postings(app, make_user):
    owner = make_user(Role.EMPLOYER_STAFF)
    organisation = make_organisation(app, owner, make_user(Role.COORDINATOR), status="rejected")
    client = client_for(app, owner)

    answer = client.post(f"/postings/new?organisation={organisation.id}", data=POSTING_FORM)
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/organisations/{organisation.id}/manage"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "can write postings once a coordinator has approved it" in page
    assert "New posting" not in page


def test_pending_organisation_cannot_create_postings(app, make_user):
    owner = make_user(Role.EMPLOYER_STAFF)
    organisation = make_organisation(app, owner, status="pending")
    client = client_for(app, owner)
    client.post(f"/postings/new?organisation={organisation.id}", data=POSTING_FORM)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0
    assert "New posting" not in client.get("/organisations/").get_data(as_text=True)


def test_suspended_organisation_cannot_edit_or_submit_its_drafts(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    draft = make_posting(app, organisation, owner, status="draft")
    client_for(app, coordinator).post(
        f"/organisations/{organisation.id}/review/suspend", data={"reason": "Unpaid wages."}
    )
    db.session.refresh(organisation)
    assert organisation.status == "suspended"
    client = client_for(app, owner)

    assert client.get(f"/postings/{draft.id}/edit").status_code == 403
    client.post(f"/postings/{draft.id}/edit", data={**POSTING_FORM, "title": "Changed"})
    client.post(f"/postings/{draft.id}/submit")
    db.session.refresh(draft)
    assert (draft.title, draft.status) != ("Changed", "submitted")
    assert draft.status == "draft" and draft.title != "Changed"
