"""Mentoring sessions on a placement, their confirmation, the end and the outcome."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.extensions import db
from marketplace.placements import services
from marketplace.placements.models import MentoringSession, Placement
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in

pytestmark = pytest.mark.clock


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


@pytest.fixture
def placement(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(
        app,
        world,
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        result = applications.approve(world.coordinator, application)
    result.world = world
    return result


def session_form(**changes) -> dict:
    data = {
        "held_on": (site_today() - timedelta(days=2)).isoformat(),
        "minutes": "90",
        "topic": "Check-in at the reception",
        "notes": "",
    }
    return {**data, **changes}


def test_mentor_logs_and_participant_confirms_hours(app, placement):
    mentor = client_for(app, placement.mentor.user)
    participant = client_for(app, placement.participant.user)
    mentor.post(f"/placements/{placement.id}/sessions", data=session_form())
    mentor.post(f"/placements/{placement.id}/sessions", data=session_form(minutes="30"))
    first, second = db.session.scalars(sa.select(MentoringSession).order_by(MentoringSession.id))

    participant.post(f"/placements/sessions/{first.id}/confirm")
    participant.post(f"/placements/sessions/{second.id}/dispute", data={"note": "We did not meet."})
    db.session.expire_all()
    figures = services.hours(db.session.get(Placement, placement.id))
    assert (figures.logged, figures.confirmed) == (1.5, 1.5)  # a disputed session does not count

    page = mentor.get(f"/placements/{placement.id}").get_data(as_text=True)
    assert "<progress" in page and 'style="' not in page
    assert "We did not meet." in page
    coordinator = client_for(app, placement.world.coordinator)
    assert "Check-in at the reception" in coordinator.get("/placements/sessions/to-check").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minutes": "4"}, "from 5 to 600"),
        ({"minutes": "601"}, "from 5 to 600"),
        ({"held_on": (site_today() + timedelta(days=1)).isoformat()}, "between the start"),
        ({"held_on": (site_today() - timedelta(days=30)).isoformat()}, "between the start"),
        ({"topic": ""}, "Please write the topic."),
    ],
)
def test_bad_sessions_are_explained_and_not_saved(app, placement, changes, message):
    page = client_for(app, placement.mentor.user).post(
        f"/placements/{placement.id}/sessions", data=session_form(**changes)
    )
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringSession)) == 0


def test_only_the_mentor_logs_and_only_the_participant_confirms(app, make_user, placement):
    outsider = client_for(app, make_user(Role.MENTOR))
    assert (
        outsider.post(f"/placements/{placement.id}/sessions", data=session_form()).status_code
        == 404
    )
    participant = client_for(app, placement.participant.user)
    assert (
        participant.post(f"/placements/{placement.id}/sessions", data=session_form()).status_code
        == 403
    )
    client_for(app, placement.mentor.user).post(
        f"/placements/{placement.id}/sessions", data=session_form()
    )
    session = db.session.scalar(sa.select(MentoringSession))
    assert (
        client_for(app, placement.mentor.user)
        .post(f"/placements/sessions/{session.id}/confirm")
        .status_code
        == 403
    )


def test_ending_frees_the_mentor_and_blocks_new_sessions(app, placement):
    mentor_before = placement.mentor.active_mentees
    coordinator = client_for(app, placement.world.coordinator)
    page = coordinator.post(
        f"/placements/{placement.id}/end/early",
        data={"reason": "", "confirmed": "yes"},
        follow_redirects=True,
    )
    assert "Please say why" in page.get_data(as_text=True)
    coordinator.post(
        f"/placements/{placement.id}/end/early", data={"reason": "Moved city", "confirmed": "yes"}
    )
    db.session.expire_all()
    ended = db.session.get(Placement, placement.id)
    assert ended.status == "ended_early" and ended.mentor.active_mentees == mentor_before - 1
    page = client_for(app, ended.mentor.user).post(
        f"/placements/{placement.id}/sessions", data=session_form(), follow_redirects=True
    )
    assert "only be logged on an active placement" in page.get_data(as_text=True)


def test_employer_records_a_job_offer(app, placement):
    hotel = client_for(app, placement.world.owner)
    hotel.post(f"/placements/{placement.id}/end/completed", data={"confirmed": "yes"})
    hotel.post(
        f"/placements/{placement.id}/outcome",
        data={
            "outcome": "job_offer",
            "outcome_date": site_today().isoformat(),
            "offer_accepted": "y",
            "confirmed": "yes",
        },
    )
    db.session.expire_all()
    done = db.session.get(Placement, placement.id)
    assert (done.status, done.outcome, done.job_offer_accepted) == ("completed", "job_offer", True)
    page = hotel.post(
        f"/placements/{placement.id}/outcome",
        data={"outcome": "hired", "outcome_date": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Please enter the date." in page


def test_mentor_sees_current_mentees(app, placement):
    page = client_for(app, placement.mentor.user).get("/mentors/me").get_data(as_text=True)
    assert placement.participant.user.display_name in page
