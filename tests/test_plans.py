"""The participant's individual plan: drafted after approval, agreed by the participant,
changed in versions, and filled in by what happened."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.extensions import db
from marketplace.placements import services as placements
from marketplace.plans import services as plans
from marketplace.plans.models import Measure, Plan, PlanVersion
from marketplace.problems import Problem
from marketplace.training import services as training
from marketplace.training.models import TrainingCategory
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.mentor_helpers import make_mentor


@dataclass
class PlanWorld:
    coordinator: object
    participant: object
    profile: object
    mentor: object
    placement: object


@pytest.fixture
def world(app, make_user) -> PlanWorld:
    base = make_world(app, make_user)
    posting = posting_for(
        app,
        base,
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(app, make_user, base.coordinator, display_name="Priya")
    application = accepted_application(app, base, posting, profile)
    with app.test_request_context():
        placement = applications.approve(base.coordinator, application)
    return PlanWorld(base.coordinator, profile.user, profile, base.mentor, placement)


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def plan_form(goals=2, **hours) -> dict:
    today = site_today()
    data = {
        "hours_local_language": "20",
        "hours_workplace_mentoring": "10",
        "note": "",
        **{f"hours_{name}": str(value) for name, value in hours.items()},
    }
    for index in range(goals):
        data[f"goals-{index}-text"] = f"Goal number {index + 1}"
        data[f"goals-{index}-target_date"] = (today + timedelta(days=30 * (index + 1))).isoformat()
    return data


def versions(profile) -> list[PlanVersion]:
    db.session.expire_all()
    plan = db.session.scalar(sa.select(Plan).where(Plan.participant_id == profile.id))
    return plan.versions if plan else []


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def draft(app, world, by=None, **form):
    client = client_for(app, by or world.coordinator)
    return client.post(f"/plans/{world.profile.id}/propose", data=plan_form(**form))


def test_coordinator_drafts_a_plan_from_the_recommended_support(app, world):
    client = client_for(app, world.coordinator)
    page = text_of(client.get(f"/plans/{world.profile.id}"))
    assert "There is no individual plan yet." in page
    assert "Draft the individual plan" in page
    assert client.get(f"/plans/{world.profile.id}/propose").status_code == 200

    response = client.post(f"/plans/{world.profile.id}/propose", data=plan_form(goals=3))
    assert response.status_code == 302
    (version,) = versions(world.profile)
    assert version.number == 1
    assert version.agreed_at is None
    assert {m.measure.value: m.planned_hours for m in version.measures} == {
        "local_language": 20,
        "workplace_mentoring": 10,
    }
    assert [g.text for g in version.goals] == ["Goal number 1", "Goal number 2", "Goal number 3"]
    page = text_of(client.get(f"/plans/{world.profile.id}"))
    assert "Version 1 waits for agreement" in page
    assert "I have read this version and agree to it" not in page  # the participant agrees


@pytest.mark.parametrize("goals", [1, 0])
def test_fewer_than_two_goals_are_refused_next_to_the_goals(app, world, goals):
    response = draft(app, world, goals=goals)
    assert response.status_code == 400
    page = text_of(response)
    assert 'id="goals-error"' in page
    assert "Please write two to five personal goals." in page
    assert versions(world.profile) == []


def test_the_form_offers_five_goals_and_more_are_refused(app, world):
    page = text_of(client_for(app, world.coordinator).get(f"/plans/{world.profile.id}/propose"))
    assert 'name="goals-4-text"' in page and 'name="goals-5-text"' not in page
    goals = [(f"Goal {n}", site_today() + timedelta(days=n)) for n in range(6)]
    with app.test_request_context(), pytest.raises(Problem, match="two to five"):
        plans.propose(world.coordinator, world.profile, {Measure.CULTURE: 5}, goals)
    assert versions(world.profile) == []


def test_a_goal_without_a_target_date_is_refused_next_to_its_date(app, world):
    data = plan_form(goals=2)
    data["goals-1-target_date"] = ""
    response = client_for(app, world.coordinator).post(
        f"/plans/{world.profile.id}/propose", data=data
    )
    assert response.status_code == 400
    assert 'id="goals-1-target_date-error"' in text_of(response)
    assert versions(world.profile) == []


def test_a_plan_without_hours_is_refused(app, world):
    response = draft(app, world, local_language=0, workplace_mentoring="")
    assert response.status_code == 400
    assert "Please plan hours for at least one measure." in text_of(response)


def test_participant_agrees_and_the_agreement_is_recorded(app, world):
    draft(app, world)
    client = client_for(app, world.participant)
    page = text_of(client.get(f"/plans/{world.profile.id}"))
    assert "I have read this version and agree to it" in page

    response = client.post(f"/plans/{world.profile.id}/agree/1")
    assert response.status_code == 302
    (version,) = versions(world.profile)
    assert version.agreed_by_id == world.participant.id
    assert version.agreed_at is not None
    page = text_of(client.get(f"/plans/{world.profile.id}"))
    assert "The plan in force (version 1)" in page
    assert "Agreed by Priya" in page


def test_the_coordinator_cannot_agree_in_the_participants_place(app, world):
    draft(app, world)
    response = client_for(app, world.coordinator).post(f"/plans/{world.profile.id}/agree/1")
    assert response.status_code == 403
    assert versions(world.profile)[0].agreed_at is None


def test_a_proposed_change_waits_while_the_agreed_version_stays_in_force(app, world):
    draft(app, world)
    participant = client_for(app, world.participant)
    participant.post(f"/plans/{world.profile.id}/agree/1")

    # The participant proposes more language hours: the coordinator must agree.
    response = participant.post(
        f"/plans/{world.profile.id}/propose",
        data={**plan_form(local_language=40), "note": "More Latvian, please."},
    )
    assert response.status_code == 302
    first, second = versions(world.profile)
    assert first.agreed_at is not None and second.agreed_at is None
    page = text_of(participant.get(f"/plans/{world.profile.id}"))
    assert "The plan in force (version 1)" in page
    assert "Version 2 waits for agreement" in page
    assert "0 of 20 hours" in page  # the plan in force still plans 20 hours
    assert "I have read this version and agree to it" not in page

    # The participant's agreement to their own proposal is refused; the coordinator's counts.
    assert participant.post(f"/plans/{world.profile.id}/agree/2").status_code == 403
    coordinator = client_for(app, world.coordinator)
    assert coordinator.post(f"/plans/{world.profile.id}/agree/2").status_code == 302
    page = text_of(participant.get(f"/plans/{world.profile.id}"))
    assert "The plan in force (version 2)" in page
    assert "0 of 40 hours" in page
    first, second = versions(world.profile)
    assert first.agreed_by_id == world.participant.id  # the earlier agreement keeps its meaning


def test_agreeing_to_a_version_that_was_replaced_is_refused(app, world):
    draft(app, world)
    draft(app, world, local_language=30)
    participant = client_for(app, world.participant)
    response = participant.post(f"/plans/{world.profile.id}/agree/1", follow_redirects=True)
    assert "no longer waits for agreement" in text_of(response)
    assert all(v.agreed_at is None for v in versions(world.profile))


def test_the_mentor_of_the_active_placement_may_draft_and_propose(app, world):
    response = draft(app, world, by=world.mentor.user)
    assert response.status_code == 302
    client_for(app, world.participant).post(f"/plans/{world.profile.id}/agree/1")
    response = draft(app, world, by=world.mentor.user, local_language=25)
    assert response.status_code == 302
    assert [v.number for v in versions(world.profile)] == [1, 2]


def test_another_mentor_cannot_see_or_change_the_plan(app, world, make_user):
    draft(app, world)
    stranger = make_user(Role.MENTOR, display_name="Another mentor")
    make_mentor(app, stranger, world.coordinator)
    client = client_for(app, stranger)
    assert client.get(f"/plans/{world.profile.id}").status_code == 404
    assert client.get(f"/plans/{world.profile.id}/propose").status_code == 404
    assert client.post(f"/plans/{world.profile.id}/propose", data=plan_form()).status_code == 404
    assert client.post(f"/plans/{world.profile.id}/agree/1").status_code == 404
    assert len(versions(world.profile)) == 1


def test_the_participant_cannot_draft_the_first_version(app, world):
    client = client_for(app, world.participant)
    assert "Draft the individual plan" not in text_of(client.get(f"/plans/{world.profile.id}"))
    assert client.post(f"/plans/{world.profile.id}/propose", data=plan_form()).status_code == 403
    assert versions(world.profile) == []


def test_journey_shows_progress_from_training_attended_and_confirmed_mentoring(app, world):
    draft(app, world)
    client_for(app, world.participant).post(f"/plans/{world.profile.id}/agree/1")
    with app.test_request_context():
        lesson = training.create(world.coordinator, world.coordinator.site, {
            "category": TrainingCategory.LOCAL_LANGUAGE, "title": "Latvian A1",
            "held_on": site_today() - timedelta(days=1), "starts_at": time(10), "minutes": 90,
            "trainer": "Inese", "capacity": 5})  # fmt: skip
        training.enrol(world.coordinator, lesson, world.profile)
        training.record_attendance(world.coordinator, lesson, {lesson.enrolments[0].id})
        session = placements.log_session(
            world.mentor.user, world.placement, site_today() - timedelta(days=2), 120, "Menus", ""
        )
        placements.answer_session(world.participant, session, True)

    page = client_for(app, world.participant).get(f"/participants/{world.profile.id}/journey")
    text = text_of(page)
    assert "Individual plan" in text
    assert "1.5 of 20 hours" in text
    assert "2 of 10 hours" in text
    assert re.search(r'<progress[^>]*max="20"[^>]*value="1.5"', text)


def test_a_goal_marked_reached_shows_its_date(app, world):
    draft(app, world)
    participant = client_for(app, world.participant)
    participant.post(f"/plans/{world.profile.id}/agree/1")
    goal = versions(world.profile)[0].goals[0]
    reached_on = site_today() - timedelta(days=3)
    response = client_for(app, world.mentor.user).post(
        f"/plans/{world.profile.id}/goals/{goal.id}/reached",
        data={f"goal-{goal.id}-reached_on": reached_on.isoformat(), f"goal-{goal.id}-note": "Done"},
    )
    assert response.status_code == 302
    with app.test_request_context(headers={"Accept-Language": "en"}):
        shown = app.jinja_env.filters["dateformat"](reached_on, "medium")
    page = text_of(participant.get(f"/participants/{world.profile.id}/journey"))
    assert f"Reached on {shown}" in page


def test_a_goal_cannot_be_reached_in_the_future(app, world):
    draft(app, world)
    client_for(app, world.participant).post(f"/plans/{world.profile.id}/agree/1")
    goal = versions(world.profile)[0].goals[0]
    response = client_for(app, world.coordinator).post(
        f"/plans/{world.profile.id}/goals/{goal.id}/reached",
        data={f"goal-{goal.id}-reached_on": (site_today() + timedelta(days=2)).isoformat()},
        follow_redirects=True,
    )
    assert "cannot be in the future" in text_of(response)
    assert versions(world.profile)[0].goals[0].reached_on is None
