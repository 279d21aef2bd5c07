"""Training sessions and events have a main title and optional titles in other languages: every
page, to-do item, reminder and calendar shows the reader's language, else the main title."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from icalendar import Calendar

from marketplace.accounts.roles import Role
from marketplace.events import services as events
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.reminders import services as reminders
from marketplace.training import services as training
from marketplace.training.models import Enrolment, TrainingSession
from tests.application_helpers import approved_participant
from tests.clock import RIGA, site_today
from tests.conftest import english_client, log_in

pytestmark = pytest.mark.clock

TRAINING_TITLES = {"en": "Latvian A1: at the hotel", "ru": "Латышский язык A1: в гостинице"}
EVENT_TITLES = {"en": "Behind the scenes of a Riga hotel", "ru": "За кулисами рижской гостиницы"}


def client_for(app, user, locale: str):
    user.preferred_locale = locale
    db.session.commit()
    client = english_client(app)
    log_in(client, user)
    return client


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ")


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


@pytest.fixture
def session(app, coordinator) -> TrainingSession:
    with app.test_request_context():
        return training.create(coordinator, coordinator.site, {
            "category": "local_language", "title": "Latviešu valoda A1: viesnīcā",
            "title_translations": TRAINING_TITLES, "held_on": site_today(),
            "starts_at": time(10), "minutes": 90, "trainer": "Inese", "capacity": 5})  # fmt: skip


@pytest.fixture
def event(app, coordinator) -> Event:
    # Tomorrow afternoon at the site, so it is on the to-do list and due for a reminder.
    start = datetime.combine(site_today() + timedelta(days=1), time(15), tzinfo=RIGA)
    with app.test_request_context():
        return events.create(coordinator, coordinator.site_id, {
            "kind": "excursion", "title": "Rīgas viesnīca no iekšpuses",
            "title_translations": EVENT_TITLES, "description": "", "venue": "Brīvības iela 1",
            "starts_at": start, "ends_at": start + timedelta(hours=2), "capacity": 5})  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "shown", "not_shown"),
    [
        ("lv", "Latviešu valoda A1: viesnīcā", "Latvian A1"),
        ("en", "Latvian A1: at the hotel", "Latviešu valoda"),
        ("ru", "Латышский язык A1: в гостинице", "Latviešu valoda"),
        ("sv", "Latviešu valoda A1: viesnīcā", "Latvian A1"),  # no Swedish title: the main one
    ],
)
def test_training_pages_show_the_title_in_the_readers_language(
    app, coordinator, session, locale, shown, not_shown
):
    client = client_for(app, coordinator, locale)
    for path in ("/training/", f"/training/{session.id}"):
        page = text_of(client.get(path))
        assert shown in page and not_shown not in page, (path, locale)


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("lv", "Rīgas viesnīca no iekšpuses"),
        ("en", "Behind the scenes of a Riga hotel"),
        ("ru", "За кулисами рижской гостиницы"),
        ("uk", "Rīgas viesnīca no iekšpuses"),  # no Ukrainian title: the main one
    ],
)
def test_event_pages_and_the_calendar_file_show_the_readers_language(
    app, make_user, event, locale, shown
):
    participant = make_user(Role.PARTICIPANT)
    client = client_for(app, participant, locale)
    for path in ("/events/", f"/events/{event.id}"):
        assert shown in text_of(client.get(path)), path
    [entry] = Calendar.from_ical(client.get(f"/events/{event.id}/calendar.ics").data).walk("VEVENT")
    assert str(entry["SUMMARY"]) == shown


def test_the_participants_todo_item_names_the_event_in_their_language(
    app, make_user, coordinator, event
):
    profile = approved_participant(app, make_user, coordinator, preferred_locale="ru")
    db.session.add(Rsvp(event_id=event.id, user_id=profile.user_id))
    db.session.commit()
    client = client_for(app, profile.user, "ru")
    assert "За кулисами рижской гостиницы" in text_of(client.get("/dashboard"))


def test_reminders_and_the_personal_calendar_feed_use_each_persons_language(
    app, make_user, coordinator, session, event
):
    readers = {
        locale: approved_participant(app, make_user, coordinator, preferred_locale=locale)
        for locale in ("ru", "sv")
    }
    for profile in readers.values():
        db.session.add(Rsvp(event_id=event.id, user_id=profile.user_id))
        db.session.add(Enrolment(session_id=session.id, participant_id=profile.id))
    db.session.commit()
    with app.test_request_context():
        reminders.send_due()
    notices = {
        locale: " ".join(
            db.session.scalars(
                sa.select(Notification.text).where(Notification.user_id == p.user_id)
            )
        )
        for locale, p in readers.items()
    }
    assert "За кулисами рижской гостиницы" in notices["ru"]
    assert "Rīgas viesnīca no iekšpuses" in notices["sv"]

    # The calendar program fetching the feed signs in as nobody and asks for English.
    client = client_for(app, readers["ru"].user, "ru")
    page = client.post("/calendar/new-link").get_data(as_text=True)
    path = page.split("http://localhost:5000", 1)[1].split("<", 1)[0]
    feed = Calendar.from_ical(english_client(app).get(path).data)
    assert {str(entry["SUMMARY"]) for entry in feed.walk("VEVENT")} == {
        "За кулисами рижской гостиницы",
        "Латышский язык A1: в гостинице",
    }


def training_form(site_id, **changes) -> dict:
    data = {"site": str(site_id), "category": "culture", "title": "Working life in Latvia",
            "held_on": site_today().isoformat(), "starts_at": "10:00", "minutes": "90",
            "trainer": "Pēteris", "capacity": "12"}  # fmt: skip
    return {**data, **changes}


def event_form(site_id, **changes) -> dict:
    data = {"site": str(site_id), "kind": "seminar", "title": "Rights at work",
            "venue": "Elizabetes iela 2", "day": (site_today() + timedelta(days=9)).isoformat(),
            "starts": "14:00", "ends": "16:00", "capacity": "30"}  # fmt: skip
    return {**data, **changes}


def test_the_coordinator_gives_titles_in_the_other_languages_folded_away(app, coordinator):
    client = client_for(app, coordinator, "en")
    page = BeautifulSoup(client.get("/training/").get_data(as_text=True), "html.parser")
    disclosure = page.select_one("details:has(#title_lv)")
    assert "Titles in other languages" in disclosure.summary.get_text()
    assert not disclosure.has_attr("open")
    # The main title is written in the page's language, which gets no field of its own.
    assert [f["name"] for f in disclosure.select("input")] == [
        "title_lv", "title_sv", "title_ru", "title_uk"
    ]  # fmt: skip
    assert disclosure.find("label", attrs={"for": "title_uk"}).get_text() == "Title in Ukrainian"

    client.post("/training/", data=training_form(
        coordinator.site_id, title_lv=" Darba dzīve Latvijā ", title_ru="Трудовая жизнь в Латвии",
        title_sv="  "))  # fmt: skip
    session = db.session.scalar(sa.select(TrainingSession))
    assert session.title_translations == {
        "lv": "Darba dzīve Latvijā",
        "ru": "Трудовая жизнь в Латвии",
    }

    client.post("/events/new", data=event_form(coordinator.site_id, title_uk="Права на роботі"))
    event = db.session.scalar(sa.select(Event))
    assert (event.title, event.title_translations) == ("Rights at work", {"uk": "Права на роботі"})


def test_in_latvian_the_form_asks_for_english_instead_of_latvian(app, coordinator):
    client = client_for(app, coordinator, "lv")
    page = BeautifulSoup(client.get("/events/new").get_data(as_text=True), "html.parser")
    names = [f["name"] for f in page.select("details input")]
    assert names == ["title_en", "title_sv", "title_ru", "title_uk"]


@pytest.mark.parametrize(
    ("path", "form"), [("/training/", training_form), ("/events/new", event_form)]
)
def test_a_bad_title_in_another_language_is_explained_next_to_it(app, coordinator, path, form):
    client = client_for(app, coordinator, "en")
    response = client.post(
        path, data=form(coordinator.site_id, title_ru="Ж" * 161, title_sv="Arbets\x00liv")
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    disclosure = page.select_one("details:has(#title_ru)")
    assert disclosure.has_attr("open")  # the mistakes are not hidden
    ru = disclosure.select_one("#title_ru")
    assert ru["aria-invalid"] == "true" and ru["value"] == "Ж" * 161
    assert "at most 160 characters" in page.select_one(f"#{ru['aria-describedby']}").get_text()
    assert page.select_one("#title_sv-error") is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0
