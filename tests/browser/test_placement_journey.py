"""Journeys 3 and 4 in a real browser: the hotel shortlists and offers with a mentor, the
mentor accepts, the participant accepts in Ukrainian on her phone and the coordinator approves
the match; the mentor logs two sessions, the participant confirms them, the mentor signs up for
an event and the coordinator sees the hours. Every page is swept as in the hotel journey."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.applications import services as applications
from marketplace.events import services as events
from marketplace.extensions import db
from marketplace.placements.models import Placement
from tests.application_helpers import approved_participant, make_world, posting_for
from tests.browser.conftest import PHONE, click_form, settle, sweep
from tests.clock import site_today
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def log_session(page, days_ago: int, minutes: str, topic: str):
    page.fill("#held_on", (site_today() - timedelta(days=days_ago)).isoformat())
    page.fill("#minutes", minutes)
    page.fill("#topic", topic)
    click_form(page, "/sessions")


def test_offer_with_a_mentor_to_confirmed_hours(app, make_user, visit):
    world = make_world(app, make_user)
    # Started two weeks ago, so the sessions logged below fall within the placement.
    posting = posting_for(
        app,
        world,
        title="Mentorings recepcijā",
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(
        app, make_user, world.coordinator, email="olena@example.org", preferred_locale="uk"
    )
    start = datetime.now(UTC) + timedelta(days=7)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Хочу вчитися.")
        event = events.create(world.coordinator, world.coordinator.site_id, {
            "kind": "excursion", "title": "Ekskursija viesnīcā", "description": "",
            "venue": "Reimersa iela 1", "starts_at": start, "ends_at": start + timedelta(hours=2),
            "capacity": 5})  # fmt: skip
    emails = {
        "hotel": world.owner.email,
        "mentor": world.mentor.user.email,
        "coordinator": world.coordinator.email,
    }
    application_path, event_id, mentor_id = (
        f"/applications/{application.id}",
        event.id,
        world.mentor.id,
    )
    settle()

    hotel = visit("lv")
    hotel.log_in(emails["hotel"], TEST_PASSWORD)
    hotel.go(application_path)
    click_form(hotel.page, f"{application_path}/shortlist")
    hotel.page.select_option("#mentor", str(mentor_id))
    click_form(hotel.page, f"{application_path}/offer")

    mentor = visit("lv")
    mentor.log_in(emails["mentor"], TEST_PASSWORD)
    mentor.go(application_path)
    click_form(mentor.page, f"{application_path}/mentor/accept")

    olena = visit("uk", viewport=PHONE)
    olena.log_in("olena@example.org", TEST_PASSWORD)
    olena.go(application_path)
    click_form(olena.page, f"{application_path}/accept")

    coordinator = visit("en")
    coordinator.log_in(emails["coordinator"], TEST_PASSWORD)
    coordinator.go(application_path)
    click_form(coordinator.page, f"{application_path}/approve")

    placement_path = settle(f"/placements/{db.session.scalar(sa.select(Placement.id))}")
    page = mentor.go(placement_path)
    log_session(page, 3, "90", "Iepazīšanās ar recepciju")
    log_session(page, 1, "90", "Viesu reģistrācija")

    page = olena.go(placement_path)
    for _ in range(2):
        click_form(page, "/confirm")

    mentor.go(f"/events/{event_id}")
    click_form(mentor.page, f"/events/{event_id}/sign-up")
    assert mentor.page.locator(f"form[action$='/events/{event_id}/cancel']").count() == 1

    page = coordinator.go(placement_path)
    assert "Confirmed by the participant: 3 hours" in page.locator("main").inner_text()

    problems = []
    for name, person, locale in [
        ("hotel", hotel, "lv"),
        ("mentor", mentor, "lv"),
        ("participant", olena, "uk"),
        ("coordinator", coordinator, "en"),
    ]:
        problems += sweep(person, name, locale)
    assert problems == [], "\n".join(problems)
