"""Journey 1 in a real browser: a hotel registers its organisation, a coordinator approves it,
the hotel posts a mentoring slot and the coordinator publishes it; then a visitor finds it on a
phone. Every page each person saw is swept at phone width in their language: nothing overflows
sideways, axe finds no serious or critical problem, no console errors, and a screenshot is kept.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from marketplace.accounts.roles import Role
from tests.browser.conftest import PHONE, click_form, settle, sweep
from tests.clock import site_today
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en", "lv", "ru"])
def test_hotel_posts_a_mentoring_slot_that_visitors_find(make_user, visit, locale):
    owner = make_user(Role.EMPLOYER_STAFF, site="riga", email=f"hotel-{locale}@example.org")
    make_user(Role.COORDINATOR, site="riga", email=f"coord-{locale}@example.org")
    settle()

    hotel = visit(locale)
    hotel.log_in(owner.email, TEST_PASSWORD)
    page = hotel.go("/organisations/new")
    page.fill("#name", "Viesnīca Rīdzene")
    page.fill("#registration_number", "40003123456")
    page.select_option("#sector", "hotel")
    page.fill("#address", "Reimersa iela 1")
    page.fill("#city", "Rīga")
    page.fill("#contact_name", "Laura")
    page.fill("#contact_email", "laura@example.org")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/organisations/\d+/manage"))
    organisation_id = re.search(r"/organisations/(\d+)/", page.url).group(1)

    coordinator = visit(locale)
    coordinator.log_in(f"coord-{locale}@example.org", TEST_PASSWORD)
    coordinator.go(f"/organisations/{organisation_id}/manage")
    click_form(coordinator.page, "/review/approve")

    page = hotel.go(f"/organisations/{organisation_id}/manage")
    page.click("a[href*='/postings/new']")
    page.check("input[name=kind][value=mentoring]")
    page.fill("#title", "Mentorings recepcijā")
    page.fill("#description", "Mācieties darbu viesnīcas recepcijā kopā ar pieredzējušu kolēģi.")
    page.select_option("#content_locale", "lv")
    page.fill("#location", "Reimersa iela 1")
    page.fill("#start_date", (site_today() + timedelta(days=30)).isoformat())
    page.fill("#hours_per_week", "8")
    page.fill("#seats", "2")
    page.select_option("#languages-0-language", "lv")
    page.select_option("#languages-0-min_level", "A2")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/postings/\d+$"))
    posting_path = page.url.removeprefix(hotel.base_url)
    click_form(page, "/submit")

    coordinator.go(posting_path)
    click_form(coordinator.page, "/review/publish")

    visitor = visit(locale, viewport=PHONE)
    page = visitor.go("/postings/?q=ridzene")
    page.click("a:has-text('Mentorings recepcijā')")
    page.wait_for_url(re.compile(re.escape(posting_path) + "$"))
    assert page.locator("h1").inner_text() == "Mentorings recepcijā"

    problems = []
    for name, person in [("hotel", hotel), ("coordinator", coordinator), ("visitor", visitor)]:
        problems += sweep(person, name, locale)
    assert problems == [], "\n".join(problems)
