"""The application workflow: every step, the disclosure rule, the rules of applying, capacity."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.roles import Role
from marketplace.applications import services
from marketplace.applications.models import Application
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.notifications.models import Notification
from marketplace.placements.models import Placement
from marketplace.postings.models import Posting
from marketplace.problems import Problem
from marketplace.workflow.models import StatusChange
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    offer_terms,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.participant_helpers import PDF

pytestmark = pytest.mark.clock


def client_for(app, user, locale="en"):
    client = english_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    log_in(client, user)
    return client


@pytest.fixture
def world(app, make_user):
    return make_world(app, make_user)


def test_from_application_to_placement(app, make_user, world):
    posting = posting_for(app, world)
    olena = approved_participant(
        app, make_user, world.coordinator, display_name="Olena", preferred_locale="uk"
    )
    participant = client_for(app, olena.user, "uk")
    hotel, mentor = client_for(app, world.owner), client_for(app, world.mentor.user)
    coordinator = client_for(app, world.coordinator)

    participant.post(f"/applications/apply/{posting.id}", data={"motivation": "Хочу вчитися."})
    application = db.session.scalar(sa.select(Application))
    hotel.post(f"/applications/{application.id}/shortlist")
    hotel.post(f"/applications/{application.id}/offer", data=offer_terms(posting, world.mentor))
    mentor.post(f"/applications/{application.id}/mentor/accept")
    participant.post(f"/applications/{application.id}/accept")
    coordinator.post(f"/applications/{application.id}/approve")

    placement = db.session.scalar(sa.select(Placement))
    assert placement.mentor_id == world.mentor.id and placement.posting_id == posting.id
    db.session.refresh(posting)
    db.session.refresh(world.mentor)
    assert posting.filled_seats == 1 and world.mentor.active_mentees == 1
    steps = db.session.scalars(
        sa.select(StatusChange.to_status).where(StatusChange.object_type == "Application")
    ).all()
    assert steps == ["submitted", "shortlisted", "offered", "accepted", "approved"]
    texts = db.session.scalars(
        sa.select(Notification.text).where(Notification.user_id == olena.user_id)
    ).all()
    assert len(texts) >= 3 and all(
        any("а" <= ch <= "я" or ch in "іїєґ" for ch in t.lower()) for t in texts
    )  # every message in Ukrainian
    assert client_for(app, olena.user).get(f"/placements/{placement.id}").status_code == 200
    # Once proposed, the mentor's profile is open to the participant; to others it is not.
    assert participant.get(f"/mentors/{world.mentor.id}").status_code == 200
    stranger = client_for(app, make_user(Role.PARTICIPANT))
    assert stranger.get(f"/mentors/{world.mentor.id}").status_code == 404


def test_employer_sees_who_applied_only_after_the_shortlist(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(
        app, make_user, world.coordinator, display_name="Olena Koval", email="olena@example.org"
    )
    import io

    client_for(app, profile.user).post(
        "/participants/me/cv", data={"cv": (io.BytesIO(PDF), "cv.pdf")}
    )
    with app.test_request_context():
        application = services.apply(profile.user, profile, posting, "Motivated cook.")
    hotel = client_for(app, world.owner)

    before = hotel.get(f"/applications/posting/{posting.id}").get_data(as_text=True)
    assert "Motivated cook." in before and f"Applicant {application.id}" in before
    assert "Olena Koval" not in before and "olena@example.org" not in before
    assert hotel.get(f"/participants/{profile.id}/cv").status_code == 404

    hotel.post(f"/applications/{application.id}/shortlist")
    after = hotel.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Olena Koval" in after and "olena@example.org" in after
    assert hotel.get(f"/participants/{profile.id}/cv").data == PDF
    assert "interview" not in after.lower()


def test_rules_of_applying(app, make_user, world):
    posting = posting_for(app, world, kind="job", work_permit_required=True)
    unapproved = make_user(Role.PARTICIPANT)
    page = client_for(app, unapproved).get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "when a coordinator has approved your profile" in page

    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        services.apply(profile.user, profile, posting_for(app, world, kind="job"), "Hello")
        with pytest.raises(Problem, match="work permit"):
            profile.work_permit = "none"
            services.apply(profile.user, profile, posting, "Hello")
    db.session.rollback()


def test_one_application_per_posting_and_a_limit_of_open_ones(app, make_user, world, make_site):
    profile = approved_participant(app, make_user, world.coordinator)
    posting = posting_for(app, world, kind="job")
    client = client_for(app, profile.user)
    client.post(f"/applications/apply/{posting.id}", data={"motivation": "One"})
    again = client.post(
        f"/applications/apply/{posting.id}", data={"motivation": "Two"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "already applied" in again
    db.session.add(Application(participant_id=profile.id, posting_id=posting.id, motivation="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    make_site("riga").max_open_applications = 2
    db.session.commit()
    client.post(
        f"/applications/apply/{posting_for(app, world, kind='job').id}", data={"motivation": "Two"}
    )
    third = client.post(
        f"/applications/apply/{posting_for(app, world, kind='job').id}",
        data={"motivation": "Three"},
        follow_redirects=True,
    )
    assert "open applications, the most at one time" in third.get_data(as_text=True)


def test_closed_posting_refuses_and_expires_waiting_applications(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    waiting = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = services.apply(waiting.user, waiting, posting, "Please")
    client_for(app, world.owner).post(f"/postings/{posting.id}/close", data={"confirmed": "yes"})
    db.session.refresh(application)
    assert application.status == "expired"
    late = approved_participant(app, make_user, world.coordinator)
    page = client_for(app, late.user).post(
        f"/applications/apply/{posting.id}", data={"motivation": "Late"}, follow_redirects=True
    )
    assert "does not take applications any more" in page.get_data(as_text=True)


def test_refused_steps_say_why(app, make_user, world):
    posting = posting_for(app, world)
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = services.apply(profile.user, profile, posting, "Hi")
    coordinator = client_for(app, world.coordinator)
    page = coordinator.post(f"/applications/{application.id}/approve", follow_redirects=True)
    assert "This is not possible in the current status" in page.get_data(as_text=True)

    hotel = client_for(app, world.owner)
    hotel.post(f"/applications/{application.id}/shortlist")
    page = hotel.post(
        f"/applications/{application.id}/offer",
        data=offer_terms(posting) | {"mentor": ""},
        follow_redirects=True,
    )
    assert "Please choose a mentor" in page.get_data(as_text=True)
    hotel.post(f"/applications/{application.id}/offer", data=offer_terms(posting, world.mentor))
    client_for(app, profile.user).post(f"/applications/{application.id}/accept")
    page = coordinator.post(f"/applications/{application.id}/approve", follow_redirects=True)
    assert "The mentor has not accepted yet." in page.get_data(as_text=True)

    page = coordinator.post(
        f"/applications/{application.id}/return", data={"comment": ""}, follow_redirects=True
    )
    assert "Please write a comment" in page.get_data(as_text=True)
    coordinator.post(f"/applications/{application.id}/return", data={"comment": "Dates?"})
    db.session.refresh(application)
    assert application.status == "offered" and application.coordinator_comment == "Dates?"


def test_employer_declines_kindly_with_a_reason(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = services.apply(profile.user, profile, posting, "Hi")
    client_for(app, world.owner).post(
        f"/applications/{application.id}/decline",
        data={"reason": "language", "note": "Try again in spring."},
    )
    page = (
        client_for(app, profile.user).get(f"/applications/{application.id}").get_data(as_text=True)
    )
    assert "The language level is not enough yet" in page and "Try again in spring." in page


def test_only_the_people_involved_see_an_application(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = services.apply(profile.user, profile, posting, "Hi")
    path = f"/applications/{application.id}"
    assert client_for(app, make_user(Role.PARTICIPANT)).get(path).status_code == 404
    assert client_for(app, make_user(Role.EMPLOYER_STAFF)).get(path).status_code == 404
    assert (
        client_for(app, make_user(Role.COORDINATOR, site="linkoping")).get(path).status_code == 404
    )
    other_hotel = client_for(app, make_user(Role.EMPLOYER_STAFF))
    assert other_hotel.get(f"/applications/posting/{posting.id}").status_code == 404


def test_a_full_posting_answers_kindly_and_the_database_refuses_overfilling(app, make_user, world):
    posting = posting_for(app, world, kind="job", seats=1)
    first = accepted_application(
        app, world, posting, approved_participant(app, make_user, world.coordinator)
    )
    second = accepted_application(
        app, world, posting, approved_participant(app, make_user, world.coordinator)
    )
    coordinator = client_for(app, world.coordinator)
    assert coordinator.post(f"/applications/{first.id}/approve").status_code == 302
    full = coordinator.post(f"/applications/{second.id}/approve")
    assert full.status_code == 409
    assert "This posting is full" in full.get_data(as_text=True)
    db.session.refresh(second)
    assert second.status == "accepted"

    with pytest.raises(IntegrityError):
        db.session.execute(
            sa.update(Posting).where(Posting.id == posting.id).values(filled_seats=5)
        )
        db.session.commit()
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(MentorProfile).values(active_mentees=99))
        db.session.commit()
    db.session.rollback()


def test_a_filled_posting_closes_itself(app, make_user, world):
    posting = posting_for(
        app, world, kind="job", seats=1, application_deadline=site_today() + timedelta(days=10)
    )
    application = accepted_application(
        app, world, posting, approved_participant(app, make_user, world.coordinator)
    )
    with app.test_request_context():
        services.approve(world.coordinator, application)
    db.session.refresh(posting)
    assert (posting.status, posting.closed_reason) == ("closed", "filled")
