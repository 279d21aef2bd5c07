"""Every list page loads what it shows in a fixed number of SQL statements, whatever its length.

Each page is rendered with a few rows and again with more rows than fit on one page; the number
of statements must not change. A page that loads something per row (a lazy relationship in a
loop, a count per item) fails here with both numbers in the message.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.audit import services as audit
from marketplace.conversations import services as conversations
from marketplace.db import utcnow
from marketplace.events import services as events
from marketplace.events.models import EventKind
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.mail.models import OutboxMessage, OutboxStatus
from marketplace.mail.services import queue_email
from marketplace.matching import drafts, rounds
from marketplace.mentors import services as mentors
from marketplace.mentors.models import Expertise
from marketplace.notifications.services import notify
from marketplace.organisations import services as organisations
from marketplace.organisations.models import OrganisationMember, OrganisationStatus
from marketplace.participants import services as participant_services
from marketplace.participants.models import ParticipantInterest
from marketplace.placements.models import MentoringSession
from marketplace.postings.models import PostingArea, PostingStatus
from marketplace.sites.models import Site
from marketplace.training import services as training
from marketplace.training.models import TrainingCategory
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import base_config, english_client, log_in
from tests.employer_helpers import make_organisation, make_posting
from tests.mentor_helpers import make_mentor
from tests.participant_helpers import make_participant

PER_PAGE = 10
FEW, MANY = 2, PER_PAGE + 2


@pytest.fixture
def app_config(database_url):
    return {**base_config(database_url), "PER_PAGE": PER_PAGE}


@contextmanager
def counted_statements():
    """Collect every SQL statement the app's engine sends while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def render(client, url: str) -> tuple[list[str], str]:
    with counted_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements, response.get_data(as_text=True)


@dataclass
class ListPage:
    client: object
    url: str
    add_rows: Callable[[int], None]


_numbers = itertools.count(1)
LIST_PAGES: dict[str, Callable] = {}


def list_page(name: str):
    def register(builder):
        LIST_PAGES[name] = builder
        return builder

    return register


def signed_in(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def times(count: int, make: Callable[[], object]) -> None:
    for _ in range(count):
        make()


def allow_many_open_applications(site_id: int) -> None:
    db.session.get(Site, site_id).max_open_applications = 100
    db.session.commit()


def full_participant(app, make_user, coordinator):
    """An approved participant with languages, interests and support, as the cards show them."""
    profile = approved_participant(
        app, make_user, coordinator, display_name=f"Applicant {next(_numbers)}"
    )
    allow_many_open_applications(profile.site_id)
    return profile


def posting_of_another_hotel(app, world):
    """A job at a new organisation of the same owner: rows that each show a different
    organisation, so nothing is loaded once and shared between them."""
    number = next(_numbers)
    organisation = make_organisation(app, world.owner, world.coordinator, name=f"Hotel {number}")
    return make_posting(
        app, organisation, world.owner, world.coordinator, kind="job", title=f"Job {number}"
    )


# Applications -----------------------------------------------------------------------------------


@list_page("applicants of a posting")
def applicants(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job", seats=30)

    def add(count):
        for number in range(count):
            profile = full_participant(app, make_user, world.coordinator)
            with app.test_request_context():
                application = applications.apply(profile.user, profile, posting, "Motivated.")
                if number % 2:  # shortlisted cards show who the applicant is
                    applications.shortlist(world.owner, application)

    return ListPage(signed_in(app, world.owner), f"/applications/posting/{posting.id}", add)


@list_page("participant's applications")
def my_applications(app, make_user):
    world = make_world(app, make_user)
    profile = full_participant(app, make_user, world.coordinator)

    def add(count):
        for _ in range(count):
            posting = posting_of_another_hotel(app, world)
            with app.test_request_context():
                applications.apply(profile.user, profile, posting, "Motivated.")

    return ListPage(signed_in(app, profile.user), "/applications/", add)


@list_page("mentees proposed to a mentor")
def mentoring(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="mentoring", seats=30)

    def add(count):
        for _ in range(count):
            profile = full_participant(app, make_user, world.coordinator)
            with app.test_request_context():
                application = applications.apply(profile.user, profile, posting, "Motivated.")
                applications.shortlist(world.owner, application)
                applications.offer(world.owner, application, world.mentor)

    return ListPage(signed_in(app, world.mentor.user), "/applications/mentoring", add)


@list_page("offers to approve")
def approvals(app, make_user):
    world = make_world(app, make_user)

    def add(count):
        for _ in range(count):
            posting = posting_of_another_hotel(app, world)
            profile = full_participant(app, make_user, world.coordinator)
            accepted_application(app, world, posting, profile)

    return ListPage(signed_in(app, world.coordinator), "/applications/approvals", add)


@list_page("messages of an application")
def application_thread(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job", seats=5)
    profile = full_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Motivated.")
        applications.shortlist(world.owner, application)
    thread = conversations.Thread("application", application)
    colleagues = []

    def add(count):
        for number in range(count):
            # Every other message from a new colleague, so authors grow with the messages.
            if number % 2:
                colleague = make_user(Role.COORDINATOR, display_name=f"Coordinator {number}")
                colleagues.append(colleague)
            author = colleagues[-1] if colleagues and number % 2 else profile.user
            with app.test_request_context():
                conversations.post(author, thread, f"Message {next(_numbers)}")

    return ListPage(signed_in(app, world.owner), f"/applications/{application.id}", add)


# Placements -------------------------------------------------------------------------------------


def approved_placement(app, make_user, world):
    posting = posting_of_another_hotel(app, world)
    profile = full_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        return applications.approve(world.coordinator, application)


@list_page("placements")
def placements(app, make_user):
    world = make_world(app, make_user)

    def add(count):
        times(count, lambda: approved_placement(app, make_user, world))

    return ListPage(signed_in(app, world.coordinator), "/placements/", add)


@list_page("mentoring sessions to check")
def sessions_to_check(app, make_user):
    world = make_world(app, make_user)

    def add(count):
        for _ in range(count):
            placement = approved_placement(app, make_user, world)
            db.session.add(
                MentoringSession(
                    placement=placement,
                    held_on=placement.start_date,
                    minutes=60,
                    topic="Knife skills",
                    notes="",
                    logged_by_id=world.mentor.user_id,
                )
            )
            db.session.commit()

    return ListPage(signed_in(app, world.coordinator), "/placements/sessions/to-check", add)


# Postings and organisations ---------------------------------------------------------------------


@list_page("postings search")
def postings_search(app, make_user):
    world = make_world(app, make_user)

    def add(count):
        times(count, lambda: posting_for(app, world, kind="job", title=f"Job {next(_numbers)}"))

    return ListPage(english_client(app), "/postings/", add)


@list_page("an employer's organisations and postings")
def employer_postings(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job", seats=30)

    def add(count):
        for _ in range(count):
            draft = make_posting(
                app,
                world.organisation,
                world.owner,
                status=PostingStatus.DRAFT,
                title=f"Draft {next(_numbers)}",
            )
            profile = full_participant(app, make_user, world.coordinator)
            with app.test_request_context():
                applications.apply(profile.user, profile, posting, "Motivated.")
            other = make_organisation(app, world.owner, world.coordinator, name=draft.title)
            make_posting(app, other, world.owner, status=PostingStatus.DRAFT)

    return ListPage(signed_in(app, world.owner), "/organisations/", add)


@list_page("a posting with its applicant count")
def posting_page(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job", seats=30)

    def add(count):
        for _ in range(count):
            profile = full_participant(app, make_user, world.coordinator)
            with app.test_request_context():
                applications.apply(profile.user, profile, posting, "Motivated.")

    return ListPage(signed_in(app, world.owner), f"/postings/{posting.id}", add)


@list_page("an organisation's workspace")
def organisation_workspace(app, make_user):
    world = make_world(app, make_user)

    def add(count):
        for _ in range(count):
            posting_for(app, world, kind="job", title=f"Job {next(_numbers)}")
            colleague = make_user(Role.EMPLOYER_STAFF, display_name=f"Colleague {next(_numbers)}")
            with app.test_request_context():
                organisations.ask_to_join(colleague, world.organisation)
            mentor_user = make_user(Role.MENTOR, display_name=f"Mentor {next(_numbers)}")
            make_mentor(app, mentor_user, world.coordinator, organisation=world.organisation)

    return ListPage(
        signed_in(app, world.owner), f"/organisations/{world.organisation.id}/manage", add
    )


@list_page("an organisation's public profile")
def organisation_profile(app, make_user):
    world = make_world(app, make_user)

    def add(count):
        times(count, lambda: posting_for(app, world, kind="job", title=f"Job {next(_numbers)}"))

    return ListPage(english_client(app), f"/organisations/{world.organisation.id}", add)


@list_page("organisations to join")
def organisations_to_join(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    searcher = make_user(Role.EMPLOYER_STAFF)

    def add(count):
        for _ in range(count):
            owner = make_user(Role.EMPLOYER_STAFF)
            make_organisation(app, owner, coordinator, name=f"Hotel {next(_numbers)}")

    return ListPage(signed_in(app, searcher), "/organisations/join?q=hotel", add)


# Coordinators' lists ----------------------------------------------------------------------------


@list_page("review queue")
def review_queue(app, make_user):
    coordinator = make_user(Role.COORDINATOR)

    def add(count):
        for _ in range(count):
            owner = make_user(Role.EMPLOYER_STAFF)
            organisation = make_organisation(
                app, owner, coordinator, name=f"Hotel {next(_numbers)}"
            )
            make_posting(app, organisation, owner, status=PostingStatus.SUBMITTED)
            make_organisation(app, owner, status=OrganisationStatus.PENDING, name="Pending")
            make_participant(app, make_user(Role.PARTICIPANT), submit=True)
            mentor_user = make_user(Role.MENTOR)
            profile = make_mentor(app, mentor_user, approve=False)
            with app.test_request_context():
                mentors.submit(mentor_user, profile)

    return ListPage(signed_in(app, coordinator), "/review/", add)


@list_page("participants")
def participants(app, make_user):
    coordinator = make_user(Role.COORDINATOR)

    def add(count):
        for _ in range(count):
            user = make_user(Role.PARTICIPANT, display_name=f"Participant {next(_numbers)}")
            make_participant(app, user, submit=True)

    return ListPage(signed_in(app, coordinator), "/participants/", add)


@list_page("mentors search")
def mentors_search(app, make_user):
    coordinator = make_user(Role.COORDINATOR)

    def add(count):
        for _ in range(count):
            user = make_user(Role.MENTOR, display_name=f"Mentor {next(_numbers)}")
            make_mentor(app, user, coordinator, expertise=(Expertise.KITCHEN, Expertise.SERVICE))

    return ListPage(signed_in(app, coordinator), "/mentors/", add)


@list_page("audit log")
def audit_log(app, make_user):
    coordinator = make_user(Role.COORDINATOR)

    def add(count):
        for _ in range(count):
            actor = make_user(Role.EMPLOYER_STAFF, display_name=f"Actor {next(_numbers)}")
            audit.record("user.login", actor=actor, obj=actor, site_id=coordinator.site_id)
        db.session.commit()

    return ListPage(signed_in(app, coordinator), "/audit/", add)


@list_page("audit log, filtered")
def audit_log_filtered(app, make_user):
    coordinator = make_user(Role.COORDINATOR)

    def add(count):
        for _ in range(count):
            actor = make_user(Role.EMPLOYER_STAFF, display_name=f"Actor {next(_numbers)}")
            audit.record("login.success", actor=actor, obj=actor, site_id=coordinator.site_id)
        db.session.commit()

    query = "person=actor&object_type=User&action=login.success&date_from=2020-01-01"
    return ListPage(signed_in(app, coordinator), f"/audit/?{query}", add)


@list_page("training sessions")
def training_sessions(app, make_user):
    coordinator = make_user(Role.COORDINATOR)

    def add(count):
        for _ in range(count):
            training.create(
                coordinator,
                coordinator.site,
                {
                    "category": TrainingCategory.LOCAL_LANGUAGE,
                    "title": f"Latvian {next(_numbers)}",
                    "held_on": date(2030, 1, 10),
                    "starts_at": time(10),
                    "minutes": 90,
                    "trainer": "Anna",
                    "capacity": 20,
                },
            )

    return ListPage(signed_in(app, coordinator), "/training/", add)


@list_page("a training session's participants and the enrolment search")
def training_session(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    session = training.create(
        coordinator,
        coordinator.site,
        {
            "category": TrainingCategory.LOCAL_LANGUAGE,
            "title": "Latvian",
            "held_on": date(2030, 1, 10),
            "starts_at": time(10),
            "minutes": 90,
            "trainer": "Anna",
            "capacity": 40,
        },
    )

    def add(count):
        for number in range(count):
            profile = approved_participant(
                app, make_user, coordinator, display_name=f"Trainee {next(_numbers)}"
            )
            if number % 2:  # half enrolled, half still to choose from
                training.enrol(coordinator, session, profile)

    # Enrolled ones listed, the rest found by the enrolment search.
    return ListPage(signed_in(app, coordinator), f"/training/{session.id}?who=trainee", add)


def _event_values(title: str) -> dict:
    starts = datetime.combine(date(2030, 1, 10), time(10)).astimezone()
    return {
        "kind": EventKind.SEMINAR,
        "title": title,
        "description": "",
        "venue": "Library",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": 50,
    }


@list_page("events")
def events_list(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    participant = make_user(Role.PARTICIPANT)

    def add(count):
        for _ in range(count):
            event = events.create(
                coordinator, coordinator.site_id, _event_values(f"Fair {next(_numbers)}")
            )
            events.sign_up(participant, event)

    return ListPage(signed_in(app, participant), "/events/", add)


@list_page("an event's guests")
def event_guests(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    event = events.create(coordinator, coordinator.site_id, _event_values("Fair"))

    def add(count):
        for _ in range(count):
            events.sign_up(
                make_user(Role.PARTICIPANT, display_name=f"Guest {next(_numbers)}"), event
            )

    return ListPage(signed_in(app, coordinator), f"/events/{event.id}", add)


# Everyone's lists -------------------------------------------------------------------------------


@list_page("notifications")
def notifications(app, make_user):
    person = make_user(Role.PARTICIPANT)

    def add(count):
        for _ in range(count):
            with app.test_request_context():
                notify([person], lambda: "A posting was published.", link="/postings/")
        db.session.commit()

    return ListPage(signed_in(app, person), "/notifications/", add)


@list_page("signed-in devices")
def devices(app, make_user):
    person = make_user(Role.PARTICIPANT)
    client = signed_in(app, person)

    def add(count):
        times(count, lambda: log_in(english_client(app), person, user_agent="Firefox"))

    return ListPage(client, "/account/devices", add)


@list_page("users")
def users(app, make_user):
    admin = make_user(Role.SUPER_ADMIN)

    def add(count):
        for _ in range(count):
            site = f"site{next(_numbers)}"
            make_user(Role.PARTICIPANT, Role.MENTOR, site=site, display_name="Person")

    return ListPage(signed_in(app, admin), "/admin/users", add)


@list_page("sites")
def sites(app, make_user):
    admin = make_user(Role.SUPER_ADMIN)

    def add(count):
        times(count, lambda: make_user(Role.COORDINATOR, site=f"site{next(_numbers)}"))

    return ListPage(signed_in(app, admin), "/admin/sites", add)


@list_page("captured mail")
def outbox(app, make_user):
    person = make_user(Role.PARTICIPANT)

    def add(count):
        with app.test_request_context():
            for _ in range(count):
                queue_email(person, "Hello", "email/notification.txt", text="Hello", link="/")
        db.session.commit()

    return ListPage(english_client(app), "/dev/mail/", add)


@list_page("undelivered mail")
def undelivered_mail(app, make_user):
    coordinator = make_user(Role.COORDINATOR)

    def add(count):
        for _ in range(count):
            person = make_user(Role.PARTICIPANT)
            db.session.add(
                OutboxMessage(
                    recipient=person.email,
                    locale="en",
                    subject="Hello",
                    body_text="Hello",
                    status=OutboxStatus.FAILED,
                    attempts=6,
                    last_error="550 No such mailbox",
                    last_attempt_at=utcnow(),
                )
            )
        db.session.commit()

    return ListPage(signed_in(app, coordinator), "/admin/mail/failed", add)


@list_page("questionnaire sites")
def questionnaire_sites(app, make_user):
    admin = make_user(Role.SUPER_ADMIN)
    make_user(Role.COORDINATOR, site="linkoping")  # with one site the page opens its form

    def add(count):
        times(count, lambda: make_user(Role.COORDINATOR, site=f"site{next(_numbers)}"))

    return ListPage(signed_in(app, admin), "/questionnaires/", add)


# Matching rounds ----------------------------------------------------------------------------------


@list_page("matching rounds")
def matching_rounds(app, make_user):
    world = make_world(app, make_user)

    def add(count):
        with app.test_request_context():
            for _ in range(count):
                name = f"Round {next(_numbers)}"
                rounds.create(world.coordinator, world.coordinator.site, name)

    return ListPage(signed_in(app, world.coordinator), "/matching/", add)


def round_over(app, world, seats: int):
    """A round over a new job of the world's hotel with ``seats`` places."""
    posting = posting_for(app, world, kind="job", seats=seats)
    with app.test_request_context():
        round_ = rounds.create(world.coordinator, world.coordinator.site, "Spring")
        rounds.choose_postings(world.coordinator, round_, {posting.id}, {posting.id})
    return round_, posting


def shortlisted_applicants(app, make_user, world, posting, count):
    for _ in range(count):
        profile = full_participant(app, make_user, world.coordinator)
        with app.test_request_context():
            application = applications.apply(profile.user, profile, posting, "Motivated.")
            applications.shortlist(world.owner, application)


@list_page("a matching round's draft: those without a pair")
def matching_draft(app, make_user):
    world = make_world(app, make_user)
    # One place: every applicant after the first is listed with the reason (the pairs' own
    # list is measured in tests/test_matching_rounds.py).
    round_, posting = round_over(app, world, seats=1)

    def add(count):
        shortlisted_applicants(app, make_user, world, posting, count)
        with app.test_request_context():
            drafts.run(world.coordinator, round_)

    return ListPage(signed_in(app, world.coordinator), f"/matching/{round_.id}", add)


@list_page("applicants to rank in a matching round")
def matching_ranking(app, make_user):
    world = make_world(app, make_user)
    round_, posting = round_over(app, world, seats=3)
    path = f"/matching/postings/{round_.postings[0].id}/rank"
    return ListPage(
        signed_in(app, world.owner),
        path,
        lambda count: shortlisted_applicants(app, make_user, world, posting, count),
    )


# Recommendations ----------------------------------------------------------------------------------


def recommendable_posting(app, make_user, world):
    """A mentoring slot at a new hotel, in an area the participant likes, with a mentor of its
    own who speaks the participant's language: every reason shows, per row."""
    posting = posting_of_another_hotel(app, world)
    posting.kind = "mentoring"
    posting.areas = [PostingArea(area=Expertise.KITCHEN)]
    mentor_user = make_user(Role.EMPLOYER_STAFF, Role.MENTOR)
    posting.organisation.members.append(OrganisationMember(user=mentor_user, approved=True))
    db.session.commit()
    profile = make_mentor(
        app, mentor_user, world.coordinator, organisation=posting.organisation,
        languages=[("en", CefrLevel.C1)],
    )  # fmt: skip
    profile.organisation_confirmed = True
    db.session.commit()
    return posting


def keen_participant(app, make_user, world):
    profile = full_participant(app, make_user, world.coordinator)
    profile.interests = [ParticipantInterest(area=Expertise.KITCHEN)]
    profile.available_from = site_today()
    db.session.commit()
    return profile


@list_page("postings, best for the participant first")
def best_for_me(app, make_user):
    world = make_world(app, make_user)
    profile = keen_participant(app, make_user, world)

    def add(count):
        for _ in range(count):
            recommendable_posting(app, make_user, world)

    return ListPage(signed_in(app, profile.user), "/postings/?sort=best", add)


@list_page("participant's home with postings for them")
def home_for_you(app, make_user):
    world = make_world(app, make_user)
    profile = keen_participant(app, make_user, world)

    def add(count):
        for _ in range(min(count, 4)):  # the home page shows the best five
            recommendable_posting(app, make_user, world)

    return ListPage(signed_in(app, profile.user), "/dashboard", add)


@list_page("participants suggested for a posting")
def suggested(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="mentoring", seats=30, areas=[Expertise.KITCHEN])

    def add(count):
        for _ in range(count):
            profile = keen_participant(app, make_user, world)
            with app.test_request_context():
                participant_services.save_matching_preferences(
                    profile.user, profile, True, site_today(), None
                )

    return ListPage(signed_in(app, world.owner), f"/postings/{posting.id}/suggestions", add)


@list_page("indicators of a site")
def indicators(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    countries = iter(["UA", "IN", "SY", "LK", "UZ", "BY", "RU", "AF", "NG", "VN", "PH", "ER"])

    def add(count):
        for _ in range(count):  # each from another country: one more row per participant
            profile = approved_participant(app, make_user, coordinator)
            profile.country_of_origin = next(countries)
            db.session.commit()

    return ListPage(signed_in(app, coordinator), "/indicators/", add)


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_list_page_loads_its_rows_in_a_fixed_number_of_statements(app, make_user, name):
    page = LIST_PAGES[name](app, make_user)
    render(page.client, page.url)  # the empty page renders too, and warms any cache
    page.add_rows(FEW)
    few, few_html = render(page.client, page.url)
    page.add_rows(MANY - FEW)
    many, many_html = render(page.client, page.url)
    assert len(many_html) > len(few_html), "the added rows should show on the page"
    assert len(many) == len(few), (
        f"{name}: {len(few)} statements for {FEW} rows, {len(many)} for {MANY}:\n" + "\n".join(many)
    )


def test_every_list_page_of_the_site_is_measured():
    assert len(LIST_PAGES) >= 25


# Pages and empty states -------------------------------------------------------------------------


def test_applicants_come_a_page_at_a_time(app, make_user):
    page = applicants(app, make_user)
    page.add_rows(MANY)
    first = page.client.get(page.url).get_data(as_text=True)
    second = page.client.get(page.url + "?page=2").get_data(as_text=True)
    assert first.count('class="card mb-3"') == PER_PAGE
    assert second.count('class="card mb-3"') == MANY - PER_PAGE
    assert "Page 2 of 2" in second


def test_an_employer_sees_how_many_applied_to_each_posting(app, make_user):
    page = employer_postings(app, make_user)
    page.add_rows(1)
    html = page.client.get(page.url).get_data(as_text=True)
    assert "· 1 applicant" in html
    assert "· 0 applicants" in html


@pytest.mark.parametrize(
    ("builder", "empty_text"),
    [
        (my_applications, "You have not applied yet."),
        (mentoring, "Nobody is proposed to you now."),
        (applicants, "No applications yet."),
    ],
)
def test_short_lists_have_no_page_links_and_empty_ones_say_so(app, make_user, builder, empty_text):
    page = builder(app, make_user)
    assert empty_text in page.client.get(page.url).get_data(as_text=True)
    page.add_rows(FEW)
    html = page.client.get(page.url).get_data(as_text=True)
    assert empty_text not in html
    assert "Page 1 of" not in html


def test_the_participants_applications_and_the_mentors_list_are_paged(app, make_user):
    for page in (my_applications(app, make_user), mentoring(app, make_user)):
        page.add_rows(MANY)
        assert "Page 2 of 2" in page.client.get(page.url + "?page=2").get_data(as_text=True)


def test_the_review_queue_counts_all_that_waits_and_pages_each_section(app, make_user):
    page = review_queue(app, make_user)
    page.add_rows(MANY)

    first = BeautifulSoup(page.client.get(page.url).get_data(as_text=True), "html.parser")
    second = BeautifulSoup(
        page.client.get(page.url + "?section=participants&page=2").get_data(as_text=True),
        "html.parser",
    )

    for name in ("organisations", "postings", "participants", "mentors"):
        assert first.find(id=name).find(class_="badge").get_text() == str(MANY)
        assert len(first.find(id=name).find_next("ul").find_all("li")) == PER_PAGE
    participants_list = second.find(id="participants").find_next("ul")
    assert len(participants_list.find_all("li")) == MANY - PER_PAGE
    assert len(second.find(id="mentors").find_next("ul").find_all("li")) == PER_PAGE


def test_an_organisations_postings_come_a_page_at_a_time(app, make_user):
    page = organisation_workspace(app, make_user)
    page.add_rows(MANY)

    pages = [
        BeautifulSoup(page.client.get(page.url + query).get_data(as_text=True), "html.parser")
        for query in ("", "?page=2")
    ]

    listed = [len(html.find(id="postings").find_next("ul").find_all("li")) for html in pages]
    assert listed == [PER_PAGE, MANY - PER_PAGE]
    assert "Page 2 of 2" in pages[1].get_text()
