"""Each person's home page is their to-do list: an item appears when something waits for them,
with its count and a link to the page where it is done, and goes away once it is done."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.events.models import Event, EventKind, Rsvp
from marketplace.extensions import db
from marketplace.mentors import services as mentors
from marketplace.placements import services as placements
from marketplace.plans import services as plans
from marketplace.plans.models import Measure
from marketplace.postings.models import Posting
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.participant_helpers import make_participant, make_questionnaire


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def todo_list(client) -> dict[str, tuple[str, str]]:
    """The dashboard's items: label → (link, count shown next to it or "")."""
    page = BeautifulSoup(client.get("/dashboard").get_data(as_text=True), "html.parser")
    items = {}
    for row in page.select(".todo-list li"):
        link = row.find("a")
        badge = row.select_one(".badge.rounded-pill")
        items[link.get_text(strip=True)] = (
            link["href"],
            badge.get_text(strip=True) if badge else "",
        )
    return items


def menu_badge(client, path="/postings/") -> str:
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    badge = page.select_one(".d-lg-flex .todo-count")
    return badge.get_text(" ", strip=True) if badge else ""


@pytest.fixture
def world(app, make_user):
    return make_world(app, make_user)


def offered(app, world, posting, profile):
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "I would like to learn.")
        applications.shortlist(world.owner, application)
        mentor = world.mentor if posting.kind == "mentoring" else None
        applications.offer(world.owner, application, mentor)
    return application


def placement_for(app, world, posting, profile, *, started_days_ago=30):
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        placement = applications.approve(world.coordinator, application)
    placement.start_date = site_today() - timedelta(days=started_days_ago)
    db.session.commit()
    return placement


# Participant --------------------------------------------------------------------------------------


def test_participant_without_profile_sees_the_first_of_three_steps(app, make_user, make_site):
    make_questionnaire(make_site("riga").id)
    user = make_user(Role.PARTICIPANT)
    client = client_for(app, user)
    page = client.get("/dashboard").get_data(as_text=True)
    assert todo_list(client)["Complete your profile."][0] == "/participants/me/profile"
    assert "Step 1 of 3" in page
    make_participant(app, user)
    assert todo_list(client)["Fill in the questionnaire."][0] == "/participants/me/questionnaire"
    assert "Step 2 of 3" in client.get("/dashboard").get_data(as_text=True)


def test_participant_with_an_offer_is_asked_to_answer_it_not_to_browse(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    client = client_for(app, profile.user)
    assert "Browse postings and apply." in client.get("/dashboard").get_data(as_text=True)
    assert "Nothing to do right now." in client.get("/dashboard").get_data(as_text=True)

    application = offered(app, world, posting_for(app, world, title="Front desk"), profile)
    items = todo_list(client)
    answer_by = format_date(site_today() + timedelta(days=7), "medium", locale="en_GB")
    label = f"Answer the offer for Front desk by {answer_by}"
    assert items[label][0] == f"/applications/{application.id}"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Browse postings and apply." not in page
    assert "Nothing to do right now." not in page
    assert "Things to do: 1" in menu_badge(client)

    with app.test_request_context():
        applications.accept_offer(profile.user, application)
    items = todo_list(client)
    assert label not in items
    assert "1 application is waiting for an answer" in items
    assert "Nothing to do right now." in client.get("/dashboard").get_data(as_text=True)
    assert menu_badge(client) == ""


def test_participant_confirms_logged_sessions_from_the_list(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    placement = placement_for(app, world, posting_for(app, world), profile)
    with app.test_request_context():
        for days_ago in (3, 2):
            placements.log_session(
                world.mentor.user,
                placement,
                site_today() - timedelta(days=days_ago),
                60,
                "Menu",
                "",
            )
    client = client_for(app, profile.user)
    link, count = todo_list(client)["Confirm or dispute 2 mentoring sessions"]
    assert (link, count) == (f"/placements/{placement.id}", "2")
    assert "Browse postings and apply." not in client.get("/dashboard").get_data(as_text=True)

    with app.test_request_context():
        for session in placement.sessions:
            placements.answer_session(profile.user, session, True)
    assert not any(label.startswith("Confirm or dispute") for label in todo_list(client))


def test_participant_sees_tomorrows_event_but_not_next_weeks(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    zone = profile.site.zone
    for title, days in (("Hotel visit", 1), ("Job fair", 7)):
        starts = datetime.combine(site_today() + timedelta(days=days), time(10), zone)
        event = Event(
            site_id=profile.site_id,
            kind=EventKind.EXCURSION,
            title=title,
            venue="Riga",
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(hours=2)).astimezone(UTC),
            capacity=10,
        )
        db.session.add_all([event, Rsvp(event=event, user_id=profile.user_id)])
    db.session.commit()
    items = todo_list(client_for(app, profile.user))
    assert items["Tomorrow: Hotel visit"][0].startswith("/events/")
    assert "Tomorrow: Job fair" not in items


def test_participant_is_asked_to_agree_to_a_proposed_plan_then_sees_the_next_goal(
    app, make_user, world
):
    profile = approved_participant(app, make_user, world.coordinator)
    client = client_for(app, profile.user)
    today = site_today()
    goals = [
        ("Find a job", today + timedelta(days=60)),
        ("Speak Latvian", today + timedelta(days=30)),
    ]
    with app.test_request_context():
        plans.propose(world.coordinator, profile, {Measure.LOCAL_LANGUAGE: 20}, goals)
    assert todo_list(client)["Read and agree to your plan"][0] == f"/plans/{profile.id}"
    assert "Things to do: 1" in menu_badge(client)

    with app.test_request_context():
        plans.agree(profile.user, profile, 1)
    items = todo_list(client)
    assert "Read and agree to your plan" not in items
    assert items["Next goal of your plan: Speak Latvian"][0] == f"/plans/{profile.id}"
    target = format_date(today + timedelta(days=30), "medium", locale="en_GB")
    assert f"Target date: {target}" in client.get("/dashboard").get_data(as_text=True)
    assert menu_badge(client) == ""  # a goal ahead is work in progress, not a task waiting

    with app.test_request_context():
        changed = [("Find a job", today + timedelta(days=90)), ("Speak Latvian", today)]
        plans.propose(profile.user, profile, {Measure.LOCAL_LANGUAGE: 30}, changed)
    items = todo_list(client)  # the change waits for the coordinator, not for the participant
    assert "Read and agree to your plan" not in items
    assert "Next goal of your plan: Speak Latvian" in items
    coordinator = client_for(app, world.coordinator)
    asked = f"{profile.user.display_name} proposes a change to their plan"
    assert todo_list(coordinator)[asked][0] == f"/plans/{profile.id}"

    with app.test_request_context():
        plans.agree(world.coordinator, profile, 2)
    assert asked not in todo_list(coordinator)


def test_the_plans_goal_whose_date_has_passed_comes_first_and_counts(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    today = site_today()
    goals = [
        ("Open a bank account", today + timedelta(days=10)),
        ("Find a job", today + timedelta(days=60)),
    ]
    with app.test_request_context():
        plans.propose(world.coordinator, profile, {Measure.CULTURE: 10}, goals)
        version = plans.agree(profile.user, profile, 1)
    first, second = version.goals
    second.target_date = today - timedelta(days=2)  # its day went by
    db.session.commit()
    client = client_for(app, profile.user)

    row = BeautifulSoup(client.get("/dashboard").get_data(as_text=True), "html.parser").select_one(
        ".todo-list li"
    )
    assert row.find("a").get_text(strip=True) == "Next goal of your plan: Find a job"
    late = format_date(today - timedelta(days=2), "medium", locale="en_GB")
    assert f"The target date has passed: {late}" in row.get_text(" ", strip=True)
    assert row.select_one(".todo-overdue")
    assert "Things to do: 1" in menu_badge(client)

    with app.test_request_context():
        plans.mark_reached(profile.user, profile, second.id, today, "Signed the contract.")
    items = todo_list(client)
    assert "Next goal of your plan: Open a bank account" in items
    assert menu_badge(client) == ""

    with app.test_request_context():
        plans.mark_reached(profile.user, profile, first.id, today, "")
    assert not any(label.startswith("Next goal") for label in todo_list(client))


def test_a_mentors_plan_proposal_waits_for_the_participant_not_the_mentor(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    placement_for(app, world, posting_for(app, world), profile)
    goals = [("Find a job", site_today() + timedelta(days=60)), ("Speak Latvian", site_today())]
    with app.test_request_context():
        plans.propose(world.mentor.user, profile, {Measure.WORKPLACE_MENTORING: 16}, goals)

    assert "Read and agree to your plan" in todo_list(client_for(app, profile.user))
    mentor_items = todo_list(client_for(app, world.mentor.user))
    assert not any("plan" in label for label in mentor_items)


# Mentor -------------------------------------------------------------------------------------------


def test_mentor_answers_a_proposed_mentee_named_by_the_disclosure_rule(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator, display_name="Priya")
    client = client_for(app, world.mentor.user)
    assert not any(label.startswith("Answer the proposal") for label in todo_list(client))

    application = offered(app, world, posting_for(app, world, title="Kitchen"), profile)
    assert application.identity_disclosed
    assert todo_list(client)["Answer the proposal: Priya for Kitchen"][0] == (
        "/applications/mentoring"
    )

    with app.test_request_context():
        applications.accept_offer(profile.user, application)
    assert "Answer the proposal: Priya for Kitchen" in todo_list(client)

    with app.test_request_context():
        applications.mentor_answer(world.mentor.user, application, True)
    assert not any(label.startswith("Answer the proposal") for label in todo_list(client))


def test_mentor_is_reminded_of_a_placement_without_a_recent_session(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator, display_name="Priya")
    placement = placement_for(app, world, posting_for(app, world), profile)
    client = client_for(app, world.mentor.user)
    assert todo_list(client)["Log a session with Priya"][0] == f"/placements/{placement.id}"

    with app.test_request_context():
        placements.log_session(
            world.mentor.user, placement, site_today() - timedelta(days=1), 60, "Menu", ""
        )
    assert "Log a session with Priya" not in todo_list(client)


def test_mentor_sees_days_away_coming_up(app, world):
    user = world.mentor.user
    with app.test_request_context():
        mentors.add_unavailability(
            user,
            world.mentor,
            site_today() + timedelta(days=3),
            site_today() + timedelta(days=5),
            "",
        )
        mentors.add_unavailability(
            user,
            world.mentor,
            site_today() + timedelta(days=60),
            site_today() + timedelta(days=61),
            "",
        )
    away = [label for label in todo_list(client_for(app, user)) if label.startswith("You are away")]
    assert len(away) == 1


# Employer staff -----------------------------------------------------------------------------------


def test_staff_see_new_applicants_per_posting_and_offers_waiting(app, make_user, world):
    posting = posting_for(app, world, kind="job", title="Waiter", seats=3)
    client = client_for(app, world.owner)
    assert "Nothing to do right now." in client.get("/dashboard").get_data(as_text=True)

    people = [approved_participant(app, make_user, world.coordinator) for _ in range(3)]
    for profile in people:
        with app.test_request_context():
            applications.apply(profile.user, profile, posting, "I would like to work.")
    link, count = todo_list(client)["3 new applicants for Waiter"]
    assert (link, count) == (f"/applications/posting/{posting.id}", "3")
    assert "Things to do: 3" in menu_badge(client)

    first = db.session.scalars(sa.select(Posting).where(Posting.id == posting.id)).one()
    application = db.session.scalars(
        applications.for_posting(first).where(
            applications.Application.participant_id == people[0].id
        )
    ).one()
    with app.test_request_context():
        applications.shortlist(world.owner, application)
        applications.offer(world.owner, application, None)
    items = todo_list(client)
    assert "2 new applicants for Waiter" in items
    assert "1 offer for Waiter waits for the participant's answer" in items
    assert "Things to do: 2" in menu_badge(client)


def test_staff_see_placements_ending_soon_and_outcomes_to_record(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    placement = placement_for(app, world, posting_for(app, world, title="Bar"), profile)
    client = client_for(app, world.owner)
    assert "A placement in Bar ends soon" not in todo_list(client)

    placement.end_date = site_today() + timedelta(days=6)
    db.session.commit()
    assert todo_list(client)["A placement in Bar ends soon"][0] == f"/placements/{placement.id}"

    with app.test_request_context():
        placements.end(world.owner, placement, completed=True)
    items = todo_list(client)
    assert "A placement in Bar ends soon" not in items
    assert items["Record the outcome of 1 ended placement"][0] == f"/placements/{placement.id}"


# Coordinator --------------------------------------------------------------------------------------


def test_coordinator_sees_reviews_by_kind_and_approvals(app, make_user, world):
    client = client_for(app, world.coordinator)
    for _ in range(2):
        make_participant(app, make_user(Role.PARTICIPANT), submit=True)
    items = todo_list(client)
    assert items["2 participants wait for the interview and approval"] == (
        "/review/#participants",
        "2",
    )
    assert not any("organisation" in label for label in items)

    profile = approved_participant(app, make_user, world.coordinator)
    accepted_application(app, world, posting_for(app, world), profile)
    assert todo_list(client)["1 accepted offer waits for your approval"][0] == (
        "/applications/approvals"
    )


def test_coordinator_sees_disputed_sessions_and_postings_past_their_deadline(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    placement = placement_for(app, world, posting_for(app, world), profile)
    with app.test_request_context():
        session = placements.log_session(
            world.mentor.user, placement, site_today() - timedelta(days=2), 60, "Menu", ""
        )
        placements.answer_session(profile.user, session, False, "We did not meet.")
    late = posting_for(app, world, kind="job", title="Night porter")
    late.application_deadline = site_today() - timedelta(days=1)
    db.session.commit()

    items = todo_list(client_for(app, world.coordinator))
    assert items["1 mentoring session is disputed"][0] == "/placements/sessions/to-check"
    assert items["Night porter is past its deadline but still published"][0] == (
        f"/postings/{late.id}"
    )


def test_coordinators_long_menu_is_grouped(app, world):
    page = BeautifulSoup(
        client_for(app, world.coordinator).get("/dashboard").get_data(as_text=True), "html.parser"
    )
    groups = [s.get_text(strip=True) for s in page.select(".d-lg-flex details.menu-group summary")]
    assert groups == ["Review", "People", "Programme"]
    assert page.select_one('.d-lg-flex details.menu-group a[href="/sites/partners"]')


def test_the_dashboard_takes_the_same_number_of_queries_whatever_the_data(app, make_user, world):
    client = client_for(app, world.owner)

    def statements() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/dashboard").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    posting = posting_for(app, world, kind="job", seats=5)
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        applications.apply(profile.user, profile, posting, "I would like to work.")
    few = statements()
    for seats in (2, 3, 4):
        other = posting_for(app, world, kind="job", seats=seats)
        for _ in range(2):
            person = approved_participant(app, make_user, world.coordinator)
            with app.test_request_context():
                applications.apply(person.user, person, other, "I would like to work.")
    assert statements() == few
