"""Journey 2 in a real browser: a participant registers in Latvian on her phone, confirms her
e-mail from the captured outbox, fills her profile and the questionnaire, sends it; the
coordinator approves her; she finds the slot through search and applies. Then every page
she saw is swept at phone width like in the hotel journey."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
from tests.application_helpers import make_world, posting_for
from tests.browser.conftest import PHONE, click_form, settle, sweep
from tests.conftest import TEST_PASSWORD
from tests.mail_helpers import inbox
from tests.participant_helpers import make_questionnaire

pytestmark = pytest.mark.browser
EMAIL = "olena@example.org"


def test_participant_registers_in_latvian_and_applies(app, make_user, visit):
    world = make_world(app, make_user)
    posting = posting_for(app, world, title="Mentorings viesnīcas recepcijā")
    make_questionnaire(world.coordinator.site_id)
    coordinator_email, posting_id = world.coordinator.email, posting.id
    settle()

    olena = visit("lv", viewport=PHONE)
    page = olena.go("/register")
    page.fill("#display_name", "Olena")
    page.fill("#email", EMAIL)
    page.fill("#password", TEST_PASSWORD)
    page.fill("#confirm", TEST_PASSWORD)
    page.check("input[name=role][value=participant]")
    page.check("#consent")
    page.click("#submit")
    page.wait_for_load_state("load")

    # Read the message and end the read at once, so the server is free to write.
    message = settle(inbox(EMAIL)[-1].body_text)
    olena.go(re.search(r"https?://[^/\s]+(/confirm/\S+)", message).group(1))
    page = olena.log_in(EMAIL, TEST_PASSWORD)

    page = olena.go("/participants/me/profile")
    page.fill("#date_of_birth", "2001-05-04")
    page.select_option("#country_of_origin", "UA")
    page.select_option("#languages-0-language", "uk")
    page.select_option("#languages-0-level", "native")
    page.select_option("#languages-1-language", "en")
    page.select_option("#languages-1-level", "B1")
    page.select_option("#local_language_level", "A1")
    page.fill("#education", "Kulinārijas koledža, Harkiva")
    page.check("input[name=interests][value=kitchen]")
    page.check("input[name=work_permit][value=not_needed]")
    page.check("#consent_processing")
    page.click("#submit")
    page.wait_for_load_state("load")

    page = olena.go("/participants/me/questionnaire")
    assert page.get_by_text("Kā jums patīk mācīties?").is_visible()
    page.click("label:has-text('Darot')")
    page.click("label[for$='-3']")
    page.click("button[name=send]")
    page.wait_for_load_state("load")
    page = olena.go("/participants/me")
    click_form(page, "/participants/me/submit")

    profile_id = settle(db.session.scalar(sa.select(ParticipantProfile.id)))
    coordinator = visit("en")
    coordinator.log_in(coordinator_email, TEST_PASSWORD)
    coordinator.go(f"/participants/{profile_id}")
    click_form(coordinator.page, "/review/approve")

    page = olena.go("/postings/?q=recepcij")
    page.click("a:has-text('Mentorings viesnīcas recepcijā')")
    page.wait_for_url(re.compile(rf".*/postings/{posting_id}$"))
    page.fill("#motivation", "Es gribu mācīties darbu recepcijā.")
    page.click("form[action*='/apply/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/applications/\d+"))

    problems = sweep(olena, "participant", "lv") + sweep(coordinator, "coordinator", "en")
    assert problems == [], "\n".join(problems)
