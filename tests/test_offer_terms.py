"""An offer says what is offered, and the steps that cannot be undone ask first."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from bs4 import BeautifulSoup

from marketplace.applications import services as applications
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.placements.models import Placement
from marketplace.postings.models import Posting
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    offer_terms,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.mail_helpers import inbox

pytestmark = pytest.mark.clock


def shown(day) -> str:
    """A date as English pages write it (British conventions: 5 Jun 2026)."""
    return format_date(day, "medium", locale="en_GB")


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


@pytest.fixture
def world(app, make_user):
    return make_world(app, make_user)


@pytest.fixture
def shortlisted(app, make_user, world):
    posting = posting_for(app, world, hours_per_week=16, location="Brīvības iela 10")
    profile = approved_participant(app, make_user, world.coordinator, display_name="Olena")
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "I want to learn.")
        applications.shortlist(world.owner, application)
    return application


def _value(page: str, name: str) -> str | None:
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def _error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', page, re.S)
    return found.group(1).strip() if found else ""


def test_the_offer_form_starts_from_the_postings_terms(app, world, shortlisted):
    posting = shortlisted.posting
    page = client_for(app, world.owner).get(f"/applications/{shortlisted.id}").get_data(True)

    assert _value(page, "start_date") == posting.start_date.isoformat()
    assert _value(page, "end_date") == posting.end_date.isoformat()
    assert _value(page, "hours_per_week") == "16"
    assert "Brīvības iela 10" in _value(page, "place")
    assert "Laura" in _value(page, "contact")  # the person making the offer


def test_the_terms_are_kept_and_shown_to_the_participant_and_the_mentor(app, world, shortlisted):
    start = site_today() + timedelta(days=30)
    terms = offer_terms(
        shortlisted.posting,
        world.mentor,
        start_date=start.isoformat(),
        hours_per_week="12",
        place="Hotel Riga, reception, Brīvības iela 10",
        contact="Laura Ozola, +371 2000 0000",
        message="Please bring black shoes.",
    )
    answer = client_for(app, world.owner).post(f"/applications/{shortlisted.id}/offer", data=terms)

    assert answer.status_code == 302
    db.session.expire_all()
    assert shortlisted.status == "offered"
    assert (shortlisted.offer_start_date, shortlisted.offer_hours_per_week) == (start, 12)
    assert shortlisted.offer_message == "Please bring black shoes."

    participant = client_for(app, shortlisted.participant.user)
    page = participant.get(f"/applications/{shortlisted.id}").get_data(True)
    assert "What is offered" in page
    for shown in ("Hotel Riga, reception", "Laura Ozola, +371 2000 0000", "black shoes"):
        assert shown in page
    assert page.index("What is offered") < page.index("Accept the offer")

    mentor_page = client_for(app, world.mentor.user).get(f"/applications/{shortlisted.id}")
    mentor_page = mentor_page.get_data(True)
    assert "What is offered" in mentor_page and "Hotel Riga, reception" in mentor_page
    assert "Olena" in mentor_page  # the mentee's card


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "START-1"}, "end_date", "The end date cannot be before the start date."),
        ({"hours_per_week": "0"}, "hours_per_week", "Enter a whole number from 1 to 60."),
        ({"hours_per_week": "61"}, "hours_per_week", "Enter a whole number from 1 to 60."),
        ({"place": ""}, "place", "Please enter where the work is."),
        ({"start_date": "1.3.2027"}, "start_date", "Please enter a date"),
    ],
)
def test_bad_terms_are_explained_next_to_the_field_and_nothing_is_sent(
    app, world, shortlisted, changes, field, message
):
    posting = shortlisted.posting
    if changes.get("end_date") == "START-1":
        changes = {"end_date": (posting.start_date - timedelta(days=1)).isoformat()}
    answer = client_for(app, world.owner).post(
        f"/applications/{shortlisted.id}/offer",
        data=offer_terms(posting, world.mentor, **changes),
    )

    assert answer.status_code == 400
    assert message in _error(answer.get_data(True), field)
    db.session.expire_all()
    assert shortlisted.status == "shortlisted" and shortlisted.offer_start_date is None


def test_declining_opens_on_request_and_has_no_reason_chosen(app, world, shortlisted):
    hotel = client_for(app, world.owner)
    page = hotel.get(f"/applications/{shortlisted.id}").get_data(True)

    details = re.search(r"<details[^>]*>((?:(?!</details>).)*?/decline\".*?)</details>", page, re.S)
    assert details is not None and "open" not in details.group(0).split(">")[0]
    details = details.group(1)
    select = re.search(r'<select[^>]*name="reason".*?</select>', details, re.S).group(0)
    first = re.search(r"<option[^>]*>(.*?)</option>", select).group(0)
    assert 'value=""' in first and "Choose…" in first and "selected" not in select

    answer = hotel.post(f"/applications/{shortlisted.id}/decline", data={"reason": ""})
    assert answer.status_code == 400
    page = answer.get_data(True)
    assert "Please choose a reason." in _error(page, "reason")
    assert re.search(r"<details[^>]*open[^>]*>\s*<summary[^>]*>Decline this application", page)
    db.session.expire_all()
    assert shortlisted.status == "shortlisted"


def test_staff_who_mentor_answer_each_question_in_its_own_section(app, world, shortlisted):
    client_for(app, world.owner).post(
        f"/applications/{shortlisted.id}/offer",
        data=offer_terms(shortlisted.posting, world.mentor),
    )
    page = client_for(app, world.mentor.user).get(f"/applications/{shortlisted.id}")
    page = page.get_data(True)
    employer = page.index("Your decision as the employer")
    mentor = page.index("Will you mentor this participant?")
    assert employer < page.index("/decline") < mentor < page.index("/mentor/accept")


def test_the_participant_is_told_what_happens_next(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Hi")
        applications.shortlist(world.owner, application)
        applications.offer(world.owner, application, None)
    participant = client_for(app, profile.user)

    page = participant.post(
        f"/applications/{application.id}/accept", follow_redirects=True
    ).get_data(True)

    assert page.count("a coordinator approves the placement") == 2  # the message and the page


def test_declining_the_offer_says_what_happens_next(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Hi")
        applications.shortlist(world.owner, application)
        applications.offer(world.owner, application, None)

    page = client_for(app, profile.user).post(
        f"/applications/{application.id}/decline-offer", follow_redirects=True
    )

    assert "You can apply to other postings." in page.get_data(True)
    db.session.expire_all()
    assert application.status == "offer_declined"


# Steps that cannot be undone ask first ---------------------------------------------------------


@pytest.fixture
def placement(app, make_user, world):
    posting = posting_for(
        app,
        world,
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        return applications.approve(world.coordinator, application)


@pytest.mark.parametrize(("how", "data"), [("completed", {}), ("early", {"reason": "Moved"})])
def test_a_placement_ends_only_after_confirmation(app, world, placement, how, data):
    hotel = client_for(app, world.owner)
    path = f"/placements/{placement.id}/end/{how}"
    assert f'action="{path}"' in hotel.get(f"/placements/{placement.id}").get_data(True)

    for asking in (hotel.get(path), hotel.post(path, data=data)):
        assert asking.status_code == 200
        assert "This cannot be undone" in asking.get_data(True)
        assert 'name="confirmed" value="yes"' in asking.get_data(True)
        db.session.expire_all()
        assert db.session.get(Placement, placement.id).status == "active"

    hotel.post(path, data={**data, "confirmed": "yes"})
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).status != "active"


def test_ending_early_without_a_reason_is_explained_on_the_confirmation_page(app, world, placement):
    answer = client_for(app, world.owner).post(
        f"/placements/{placement.id}/end/early", data={"reason": " ", "confirmed": "yes"}
    )
    assert answer.status_code == 400
    assert "Please say why" in _error(answer.get_data(True), "reason")
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).status == "active"


def test_the_outcome_has_no_default_and_is_recorded_after_confirmation(app, world, placement):
    hotel = client_for(app, world.owner)
    page = hotel.get(f"/placements/{placement.id}").get_data(True)
    select = re.search(r'<select[^>]*name="outcome".*?</select>', page, re.S).group(0)
    assert re.search(r'<option[^>]*value=""[^>]*>Choose…</option>', select)
    assert "selected" not in select

    nothing = hotel.post(f"/placements/{placement.id}/outcome", data={"outcome": ""})
    assert nothing.status_code == 400
    assert "Please choose the outcome." in _error(nothing.get_data(True), "outcome")

    form = {"outcome": "job_offer", "outcome_date": site_today().isoformat(), "offer_accepted": "y"}
    asking = hotel.post(f"/placements/{placement.id}/outcome", data=form)
    assert asking.status_code == 200 and "Record this outcome?" in asking.get_data(True)
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).outcome is None

    hotel.post(f"/placements/{placement.id}/outcome", data={**form, "confirmed": "yes"})
    db.session.expire_all()
    recorded = db.session.get(Placement, placement.id)
    assert (recorded.outcome, recorded.job_offer_accepted) == ("job_offer", True)


def test_a_posting_closes_only_after_confirmation(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        applications.apply(profile.user, profile, posting, "Hi")
    hotel = client_for(app, world.owner)
    path = f"/postings/{posting.id}/close"

    asking = hotel.post(path)
    assert asking.status_code == 200
    text = asking.get_data(True)
    assert "1 application still waiting for an answer will expire" in text
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "published"

    hotel.post(path, data={"confirmed": "yes"})
    db.session.expire_all()
    assert db.session.get(Posting, posting.id).status == "closed"


# The named mentor and the placement get the terms ------------------------------------------------


def offer_with_terms(app, world, shortlisted, **changes):
    start = site_today() + timedelta(days=30)
    terms = offer_terms(
        shortlisted.posting,
        world.mentor,
        start_date=start.isoformat(),
        end_date=(start + timedelta(days=27)).isoformat(),
        hours_per_week="12",
        place="Hotel Riga, kitchen, Brīvības iela 10",
        contact="Laura Ozola, +371 2000 0000",
        **changes,
    )
    answer = client_for(app, world.owner).post(f"/applications/{shortlisted.id}/offer", data=terms)
    assert answer.status_code == 302
    return start


def proposal_rows(client) -> list[str]:
    page = BeautifulSoup(client.get("/applications/mentoring").get_data(True), "html.parser")
    return [row.get_text(" ", strip=True) for row in page.select(".proposal")]


def test_the_mentors_list_shows_each_mentee_posting_terms_and_answer(app, world, shortlisted):
    start = offer_with_terms(app, world, shortlisted)
    mentor = client_for(app, world.mentor.user)

    [row] = proposal_rows(mentor)
    when = f"{shown(start)} – {shown(start + timedelta(days=27))}"
    for expected in ("Olena", shortlisted.posting.title, world.organisation.name, when, "12"):
        assert expected in row
    assert "Hotel Riga, kitchen" in row
    assert "Waiting for your answer" in row and "Answer the proposal" in row

    with app.test_request_context():
        applications.mentor_answer(world.mentor.user, shortlisted, True)
    [row] = proposal_rows(mentor)
    assert "You said yes" in row and "Waiting for your answer" not in row


def test_the_mentor_is_told_the_posting_and_the_terms(app, world, shortlisted):
    world.mentor.user.preferred_locale = "en"
    db.session.commit()
    start = offer_with_terms(app, world, shortlisted)

    texts = db.session.scalars(
        sa.select(Notification.text).where(Notification.user_id == world.mentor.user_id)
    ).all()
    [text] = [text for text in texts if "asked to mentor" in text]
    assert shortlisted.posting.title in text and world.organisation.name in text
    assert f"Dates: {shown(start)} – {shown(start + timedelta(days=27))}" in text
    assert "Hours per week: 12" in text and "Place: Hotel Riga, kitchen" in text
    [mail] = [mail for mail in inbox(world.mentor.user.email) if "asked to mentor" in mail.subject]
    assert text in mail.body_text and f"/applications/{shortlisted.id}" in mail.body_text


def test_the_placement_takes_the_accepted_offers_terms(app, world, shortlisted):
    start = offer_with_terms(app, world, shortlisted)
    with app.test_request_context():
        applications.mentor_answer(world.mentor.user, shortlisted, True)
        applications.accept_offer(shortlisted.participant.user, shortlisted)
        placement = applications.approve(world.coordinator, shortlisted)

    assert (placement.start_date, placement.end_date) == (start, start + timedelta(days=27))
    assert placement.planned_hours == 12 * 4  # four weeks of twelve hours
    page = client_for(app, shortlisted.participant.user).get(f"/placements/{placement.id}")
    text = BeautifulSoup(page.get_data(True), "html.parser").select_one("dl").get_text(" ")
    for expected in (shown(start), "12", "Hotel Riga, kitchen", "Laura Ozola, +371 2000 0000"):
        assert expected in text
