"""A real browser on the live server: the phone menu, the weight of the postings page, and
applying by keyboard with a visible focus."""

from __future__ import annotations

import re

import pytest

from tests.application_helpers import approved_participant, make_world, posting_for
from tests.browser.conftest import PHONE, settle
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_phone_menu_opens_and_the_postings_page_is_light(app, make_site, live_server, visit):
    make_site("riga")
    settle()
    visitor = visit(viewport=PHONE)
    sizes = []
    visitor.page.on(
        "requestfinished",
        lambda request: sizes.append(
            request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]
        ),
    )
    page = visitor.go("/postings/")
    page.wait_for_load_state("networkidle")
    total = sum(sizes)
    print(f"\nPostings list, first load: {total / 1024:.1f} KB transferred (limit 250 KB)")
    assert total < 250 * 1024
    page.click("details.phone-menu summary")
    assert page.locator("details.phone-menu .nav-link", has_text="Postings").is_visible()


def test_apply_by_keyboard_with_a_visible_focus(app, make_user, make_site, live_server, visit):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(
        app, make_user, world.coordinator, email="kb@example.org", preferred_locale="en"
    )
    person = visit()
    page = person.log_in("kb@example.org", TEST_PASSWORD)
    page.goto(person.base_url + f"/postings/{posting.id}")
    page.focus("#motivation")
    page.keyboard.type("I like working with guests.")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML")
    assert "Apply" in focused or "Iesniegt" in focused
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.boxShadow]; })()"
    )
    assert style[0] != "none" or style[1] != "none"  # an outline or Bootstrap's focus ring
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/applications/\d+"))
    assert profile.id
