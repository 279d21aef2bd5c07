"""The main path with JavaScript switched off in the browser: a participant browses and
applies, the hotel offers with a mentor, the participant accepts, the coordinator approves, the
mentor logs hours and the participant confirms them. Every step is a plain link or form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.placements.models import Placement
from tests.application_helpers import approved_participant, make_world, posting_for
from tests.browser.conftest import PHONE, click_form, settle
from tests.clock import site_today
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_browse_apply_accept_and_log_hours_without_javascript(app, make_user, visit):
    world = make_world(app, make_user)
    posting = posting_for(
        app,
        world,
        title="Mentoring at the front desk",
        start_date=site_today() - timedelta(days=7),
        end_date=site_today() + timedelta(days=60),
    )
    approved_participant(app, make_user, world.coordinator, email="amina@example.org")
    posting_id, mentor_id = posting.id, world.mentor.id
    emails = (world.owner.email, world.mentor.user.email, world.coordinator.email)
    settle()

    def person(locale="en", **options):
        return visit(locale, java_script_enabled=False, **options)

    amina = person(viewport=PHONE)
    page = amina.log_in("amina@example.org", TEST_PASSWORD)
    page = amina.go("/postings/?q=front+desk")
    page.click("a:has-text('Mentoring at the front desk')")
    page.wait_for_url(re.compile(rf".*/postings/{posting_id}$"))
    page.fill("#motivation", "I would like to learn the front desk.")
    click_form(page, f"/apply/{posting_id}")
    assert re.search(r"/applications/\d+$", page.url)
    application_path = page.url.removeprefix(amina.base_url)

    hotel, mentor, coordinator = person(), person(), person()
    hotel.log_in(emails[0], TEST_PASSWORD)
    hotel.go(application_path)
    click_form(hotel.page, f"{application_path}/shortlist")
    hotel.page.select_option("#mentor", str(mentor_id))
    click_form(hotel.page, f"{application_path}/offer")

    mentor.log_in(emails[1], TEST_PASSWORD)
    mentor.go(application_path)
    click_form(mentor.page, f"{application_path}/mentor/accept")

    amina.go(application_path)
    click_form(amina.page, f"{application_path}/accept")

    coordinator.log_in(emails[2], TEST_PASSWORD)
    coordinator.go(application_path)
    click_form(coordinator.page, f"{application_path}/approve")

    placement_path = settle(f"/placements/{db.session.scalar(sa.select(Placement.id))}")
    page = mentor.go(placement_path)
    page.fill("#held_on", (site_today() - timedelta(days=2)).isoformat())
    page.fill("#minutes", "120")
    page.fill("#topic", "Checking guests in")
    click_form(page, "/sessions")

    page = amina.go(placement_path)
    click_form(page, "/confirm")
    assert "Confirmed by the participant: 2 hours" in page.locator("main").inner_text()
