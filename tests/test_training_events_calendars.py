"""Group training against the plan, events within capacity, and calendars."""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from marketplace.accounts.roles import Role
from marketplace.events import services as events
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.sites.models import SiteHoursPlan, TrainingCategory
from marketplace.training import services as training
from marketplace.training.models import TrainingSession
from tests.application_helpers import approved_participant
from tests.clock import site_today
from tests.conftest import english_client, log_in

pytestmark = pytest.mark.clock


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def training_form(site_id, **changes) -> dict:
    data = {"site": str(site_id), "category": "local_language", "title": "Latvian A1",
            "held_on": (site_today() - timedelta(days=1)).isoformat(), "starts_at": "10:00",
            "minutes": "90", "trainer": "Inese", "capacity": "2"}  # fmt: skip
    return {**data, **changes}


def test_training_hours_are_counted_against_the_plan(app, make_user, make_site):
    riga = make_site("riga")
    riga.hours_plan.append(SiteHoursPlan(category=TrainingCategory.LOCAL_LANGUAGE, planned_hours=3))
    db.session.commit()
    coordinator_user = make_user(Role.COORDINATOR)
    coordinator = client_for(app, coordinator_user)
    coordinator.post("/training/", data=training_form(riga.id))
    coordinator.post("/training/", data=training_form(riga.id, minutes="60"))
    coordinator.post(
        "/training/",
        data=training_form(riga.id, held_on=(site_today() + timedelta(days=5)).isoformat()),
    )  # not held yet
    first = db.session.scalar(sa.select(TrainingSession).order_by(TrainingSession.id))
    anna = approved_participant(app, make_user, coordinator_user, display_name="Anna")
    boris = approved_participant(app, make_user, coordinator_user, display_name="Boris")
    carl = approved_participant(app, make_user, coordinator_user, display_name="Carl")
    for profile in (anna, boris):
        coordinator.post(f"/training/{first.id}/enrol", data={"participant": str(profile.id)})
    full = coordinator.post(
        f"/training/{first.id}/enrol", data={"participant": str(carl.id)}, follow_redirects=True
    )
    assert "The session is full" in full.get_data(as_text=True)
    db.session.refresh(first)
    coordinator.post(
        f"/training/{first.id}/attendance", data={"present": [str(first.enrolments[0].id)]}
    )

    [language] = [
        row
        for row in training.hours_against_plan(riga)
        if row.category == TrainingCategory.LOCAL_LANGUAGE
    ]
    assert (language.planned, language.delivered, language.participant_hours) == (3, 2.5, 1.5)
    page = coordinator.get("/training/").get_data(as_text=True)
    assert "<progress" in page and "2.5" in page


def test_bad_training_input_is_explained(app, make_user, make_site):
    riga = make_site("riga")
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    page = coordinator.post("/training/", data=training_form(riga.id, minutes="2", capacity="0"))
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "from 5 to 600" in text and "from 1 to 500" in text


def make_event(app, coordinator, capacity=2) -> Event:
    start = datetime.now(UTC) + timedelta(days=7)
    with app.test_request_context():
        return events.create(coordinator, coordinator.site_id, {
            "kind": "excursion", "title": "Visit to Hotel Rīdzene", "description": "",
            "venue": "Reimersa iela 1", "starts_at": start, "ends_at": start + timedelta(hours=2),
            "capacity": capacity})  # fmt: skip


def test_coordinator_publishes_an_event_in_site_time(app, make_user):
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    day = site_today() + timedelta(days=10)
    coordinator.post("/events/new", data={
        "site": "1", "kind": "seminar", "title": "Working in Latvia", "venue": "Riga, Elizabetes 2",
        "day": day.isoformat(), "starts": "14:00", "ends": "16:00", "capacity": "30"})  # fmt: skip
    event = db.session.scalar(sa.select(Event))
    local = event.starts_at.astimezone(event.site.zone)
    assert (local.date(), local.time()) == (day, time(14))
    assert event.starts_at.tzinfo is not None


def test_signing_up_respects_capacity(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    event = make_event(app, coordinator, capacity=1)
    first = client_for(app, make_user(Role.PARTICIPANT))
    assert first.post(f"/events/{event.id}/sign-up").status_code == 302
    late = client_for(app, make_user(Role.MENTOR))
    full = late.post(f"/events/{event.id}/sign-up")
    assert full.status_code == 409 and "every place at this event is taken" in full.get_data(
        as_text=True
    )
    first.post(f"/events/{event.id}/cancel")
    assert late.post(f"/events/{event.id}/sign-up").status_code == 302
    elsewhere = client_for(app, make_user(Role.PARTICIPANT, site="linkoping"))
    assert elsewhere.post(f"/events/{event.id}/sign-up").status_code == 404


def test_twenty_sign_ups_at_once_for_five_places(app, make_user, live_server):
    coordinator = make_user(Role.COORDINATOR)
    event = make_event(app, coordinator, capacity=5)
    people = [make_user(Role.PARTICIPANT) for _ in range(20)]
    cookies = [live_server.signed_in_cookie(person) for person in people]
    event_id = event.id
    db.session.close()
    barrier = threading.Barrier(len(cookies))
    results = []

    def sign_up(cookie, csrf):
        barrier.wait()
        results.append(
            live_server.post(f"/events/{event_id}/sign-up", cookie, {"csrf_token": csrf})[0]
        )

    threads = [threading.Thread(target=sign_up, args=pair) for pair in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == [302] * 5 + [409] * 15
    assert db.session.get(Event, event_id).attending == 5
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 5


def test_event_calendar_file_is_real_icalendar(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    event = make_event(app, coordinator)
    response = client_for(app, coordinator).get(f"/events/{event.id}/calendar.ics")
    assert response.headers["Content-Type"].startswith("text/calendar")
    [entry] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Visit to Hotel Rīdzene"
    assert entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)


def test_personal_feed_works_until_it_is_stopped(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    participant = make_user(Role.PARTICIPANT)
    event = make_event(app, coordinator)
    client = client_for(app, participant)
    client.post(f"/events/{event.id}/sign-up")
    page = client.post("/calendar/new-link").get_data(as_text=True)
    path = page.split("http://localhost:5000", 1)[1].split("<", 1)[0]
    feed = english_client(app).get(path)
    assert feed.status_code == 200
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.data).walk("VEVENT")]
    assert summaries == ["Visit to Hotel Rīdzene"]

    client.post("/calendar/new-link")
    assert english_client(app).get(path).status_code == 404  # the old link stopped working
    client.post("/calendar/revoke")
    assert english_client(app).get("/calendar/feed/anything.ics").status_code == 404
