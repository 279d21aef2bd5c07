"""The application workflow's table decides who may take each step, from which statuses.

The test is generated from the table: every step that has a route is posted by every kind of
person, with the application in every status. The step happens exactly when the table allows
it; otherwise nothing changes and the answer is a refusal, never an error. The page offers the
step's button exactly when the server would take it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.applications import services
from marketplace.applications.models import Application, ApplicationStatus, MentorResponse
from marketplace.extensions import db
from marketplace.placements.models import Placement
from marketplace.postings.models import Posting
from marketplace.workflow.models import StatusChange
from marketplace.workflow.services import SYSTEM
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.conftest import english_client, log_in

APPLICANT, STAFF, COORDINATOR, MENTOR = (
    services.APPLICANT,
    services.STAFF,
    services.COORDINATOR,
    services.MENTOR,
)

TERMS = {
    "start_date": "2027-03-01",
    "end_date": "2027-05-31",
    "hours_per_week": "20",
    "place": "Hotel Riga, Brīvības iela 1",
    "contact": "Laura, +371 2000 0000",
}
# Each step a person takes: the path after /applications/<id>/, the form, and how the
# mentor's answer must stand for the step's condition (beyond the status) to hold.
STEP_REQUESTS = {
    "shortlist": ("shortlist", {}, MentorResponse.ACCEPTED),
    "offer": ("offer", {"mentor": "MENTOR", **TERMS}, MentorResponse.ACCEPTED),
    "change_mentor": ("offer", {"mentor": "MENTOR", **TERMS}, MentorResponse.DECLINED),
    "decline": ("decline", {"reason": "other", "note": ""}, MentorResponse.ACCEPTED),
    "mentor_answer": ("mentor/accept", {}, MentorResponse.PENDING),
    "accept": ("accept", {}, MentorResponse.ACCEPTED),
    "decline_offer": ("decline-offer", {}, MentorResponse.ACCEPTED),
    "withdraw": ("withdraw", {}, MentorResponse.ACCEPTED),
    "return": ("return", {"comment": "Please agree the hours first."}, MentorResponse.ACCEPTED),
    "approve": ("approve", {}, MentorResponse.ACCEPTED),
}
# Steps with no route: applying makes a new application (tests/test_applications.py), and
# expiry is the posting's close, taken by nobody in person.
NOT_BY_ROUTE = {"submit", "expire"}


@pytest.fixture
def setting(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, seats=5)
    profile = approved_participant(app, make_user, world.coordinator, display_name="Olena")
    application = accepted_application(app, world, posting, profile)
    other_hotel = make_world(app, make_user).owner
    people = {
        "applicant": (profile.user, {APPLICANT}),
        "owner": (world.owner, {STAFF}),
        "coordinator": (world.coordinator, {COORDINATOR}),
        # The demo's mentor is a member of the hotel's staff too.
        "mentor": (world.mentor.user, {STAFF, MENTOR}),
        "another participant": (
            approved_participant(app, make_user, world.coordinator).user,
            set(),
        ),
        "another hotel's owner": (other_hotel, set()),
        "another site's coordinator": (make_user(Role.COORDINATOR, site="linkoping"), set()),
    }
    return world, application, people


def _client(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def _put(application: Application, status: str, mentor_response: MentorResponse, mentor):
    application.status = status
    application.mentor = mentor
    application.mentor_response = mentor_response
    application.decline_reason = None
    application.coordinator_comment = ""
    db.session.execute(sa.delete(Placement).where(Placement.application_id == application.id))
    db.session.execute(sa.update(Posting).values(filled_seats=0))
    db.session.commit()


def test_every_step_has_a_request_or_a_reason():
    assert set(services.WORKFLOW.steps) == set(STEP_REQUESTS) | NOT_BY_ROUTE


def test_nobody_in_person_expires_an_application(setting):
    _world, application, people = setting
    for user, _relations in people.values():
        for status in ApplicationStatus:
            application.status = status
            assert "expire" not in services.available_actions(user, application)
    application.status = ApplicationStatus.SUBMITTED
    assert services.WORKFLOW.may(None, application, "expire")
    assert SYSTEM in services.WORKFLOW.steps["expire"].who


@pytest.mark.parametrize("step_name", sorted(STEP_REQUESTS))
def test_each_step_is_taken_exactly_when_the_table_allows(app, setting, step_name):
    world, application, people = setting
    step = services.WORKFLOW.steps[step_name]
    path, form, mentor_response = STEP_REQUESTS[step_name]
    form = {k: str(world.mentor.id) if v == "MENTOR" else v for k, v in form.items()}
    url = f"/applications/{application.id}/{path}"
    sharing_the_route = {
        other for other, request in STEP_REQUESTS.items() if request[0] == path
    } - {step_name}
    clients = {name: _client(app, user) for name, (user, _) in people.items()}
    for status in ApplicationStatus:
        for name, (user, relations) in people.items():
            _put(application, status, mentor_response, world.mentor)
            assert services.WORKFLOW.relations_of(user, application) == relations, name
            allowed = status in step.sources and bool(step.who & relations)
            actions = services.available_actions(user, application)
            assert (step_name in actions) == allowed
            if not allowed and actions & sharing_the_route:
                continue  # that other step's own test covers this request

            if allowed and services.can_view(user, application):
                page = clients[name].get(f"/applications/{application.id}").get_data(as_text=True)
                assert f'action="{url}"' in page, (name, status)
            changes_before = db.session.scalar(sa.select(sa.func.count(StatusChange.id)))

            answer = clients[name].post(url, data=form)

            assert answer.status_code in {302, 303, 403, 404}, (name, status, answer.status_code)
            db.session.expire_all()
            changes = db.session.scalar(sa.select(sa.func.count(StatusChange.id)))
            if step.target is None:
                moved = application.mentor_response != mentor_response and (
                    application.status == status
                )
            else:
                moved = application.status == step.target and changes == changes_before + 1
            assert moved == allowed, (name, status)
            if not allowed:
                assert application.status == status and changes == changes_before, (name, status)


def test_staff_cannot_send_an_accepted_offer_back_by_offering_again(app, setting):
    world, application, _people = setting
    assert application.status == ApplicationStatus.ACCEPTED
    hotel = _client(app, world.owner)

    page = hotel.post(
        f"/applications/{application.id}/offer",
        data={"mentor": str(world.mentor.id), **TERMS},
        follow_redirects=True,
    ).get_data(as_text=True)

    db.session.expire_all()
    assert application.status == ApplicationStatus.ACCEPTED
    assert "This is not possible in the current status." in page


def test_the_employer_sees_the_applicant_unnamed_in_the_history_until_shortlisting(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator, display_name="Nimal Perera")
    with app.test_request_context():
        application = services.apply(profile.user, profile, posting, "I like kitchens.")
    hotel, coordinator = _client(app, world.owner), _client(app, world.coordinator)

    before = hotel.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Nimal Perera" not in before
    assert "the applicant" in before
    assert "Nimal Perera" in coordinator.get(f"/applications/{application.id}").get_data(
        as_text=True
    )

    hotel.post(f"/applications/{application.id}/shortlist")
    after = hotel.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Nimal Perera" in after


def test_approving_after_the_owner_closed_the_posting_makes_the_placement_and_says_so(
    app, make_user
):
    world = make_world(app, make_user)
    posting = posting_for(app, world, seats=1)
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    _client(app, world.owner).post(f"/postings/{posting.id}/close", data={"confirmed": "yes"})
    db.session.expire_all()
    assert posting.status == "closed"

    page = _client(app, world.coordinator).post(
        f"/applications/{application.id}/approve", follow_redirects=True
    )

    text = page.get_data(as_text=True)
    assert "Approved. The placement is created." in text
    assert "not possible" not in text
    db.session.expire_all()
    assert application.status == ApplicationStatus.APPROVED
    assert db.session.scalar(sa.select(Placement).where(Placement.application_id == application.id))
    assert posting.closed_reason == "by_owner"


def test_approving_the_last_place_closes_the_published_posting_in_the_same_step(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, seats=1)
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    waiting = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        other = services.apply(waiting.user, waiting, posting, "Me too")

    _client(app, world.coordinator).post(f"/applications/{application.id}/approve")

    db.session.expire_all()
    assert posting.status == "closed" and posting.closed_reason == "filled"
    assert other.status == ApplicationStatus.EXPIRED
