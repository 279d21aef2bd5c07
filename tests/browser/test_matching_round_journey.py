"""A matching round in a real browser: a participant ranks her choices on her phone with plain
number fields, the hotel reorders its applicants with the "Move up" button, the coordinator runs
the round, reads the draft, locks a pair, publishes after the confirmation page, and the
participant finds her offer. Every page is swept at phone width as in the other journeys."""

from __future__ import annotations

import pytest

from marketplace.applications import services as applications
from marketplace.matching import rounds
from tests.application_helpers import approved_participant, make_world, posting_for
from tests.browser.conftest import PHONE, click_form, settle, sweep
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_a_coordinator_runs_and_publishes_a_round_and_the_participant_gets_the_offer(
    app, make_user, visit
):
    world = make_world(app, make_user)
    cook = posting_for(app, world, kind="job", seats=1, title="Cook")
    porter = posting_for(app, world, kind="job", seats=1, title="Night porter")
    olena = approved_participant(app, make_user, world.coordinator, email="olena@example.org",
                                 display_name="Olena", preferred_locale="en")  # fmt: skip
    boris = approved_participant(app, make_user, world.coordinator, display_name="Boris")
    with app.test_request_context():
        for profile in (olena, boris):
            for posting in (cook, porter):
                application = applications.apply(profile.user, profile, posting, "Motivated.")
                applications.shortlist(world.owner, application)
        round_ = rounds.create(world.coordinator, world.coordinator.site, "Spring")
        both = {cook.id, porter.id}
        rounds.choose_postings(world.coordinator, round_, both, both)
        porter_ranking = next(rp for rp in round_.postings if rp.posting_id == porter.id)
    round_path = f"/matching/{round_.id}"
    porter_rank_path = f"/matching/postings/{porter_ranking.id}/rank"
    settle()

    # Olena wants the porter's job most; Boris gives no numbers (he applied to the cook first).
    participant = visit("en", viewport=PHONE)
    participant.log_in("olena@example.org", TEST_PASSWORD)
    page = participant.go(f"{round_path}/my-choices")
    fields = page.locator("input[name^='rank-']")
    assert fields.count() == 2
    labels = [page.locator(f"label[for='{fields.nth(i).get_attribute('id')}']").inner_text()
              for i in range(2)]  # fmt: skip
    for index, label in enumerate(labels):
        fields.nth(index).fill("1" if "Night porter" in label else "2")
    click_form(page, f"{round_path}/my-choices")
    assert "Your order is saved" in page.locator("main").inner_text()

    # The hotel prefers Boris for the porter's job: it moves him up, above Olena who applied
    # first, and the numbers follow.
    hotel = visit("en")
    hotel.log_in(world.owner.email, TEST_PASSWORD)
    page = hotel.go(porter_rank_path)
    cards = page.locator("section.card")
    assert "Olena" in cards.nth(0).inner_text()
    cards.nth(1).get_by_role("button", name="Move up").click()
    assert "Boris" in cards.nth(0).inner_text()
    assert cards.nth(0).locator("input[name^='rank-']").input_value() == "1"
    click_form(page, porter_rank_path)

    coordinator = visit("en")
    coordinator.log_in(world.coordinator.email, TEST_PASSWORD)
    page = coordinator.go(round_path)
    click_form(page, f"{round_path}/run")
    draft = page.locator("main").inner_text()
    # Boris takes the cook's job (his first by application), so Olena gets the porter's.
    assert "2 participants, 2 with a pair, 0 without." in draft
    page.locator("form[action*='/lock'] [type=submit]").first.click()
    page.wait_for_load_state("load")
    assert "The pair is locked" in page.locator("main").inner_text()
    page.click(f"a[href='{round_path}/publish']")
    assert "Publish Spring?" in page.locator("h1").inner_text()
    click_form(page, f"{round_path}/publish")
    assert "Published: 2 offers are sent." in page.locator("main").inner_text()

    page = participant.go("/dashboard")
    assert "Answer the offer for Night porter" in page.locator("main").inner_text()
    page.click("text=Answer the offer for Night porter")
    page.wait_for_load_state("load")
    assert page.locator("form[action$='/accept'] [type=submit]").count() == 1

    problems = []
    for name, person in [("participant", participant), ("hotel", hotel),
                         ("coordinator", coordinator)]:  # fmt: skip
        problems += sweep(person, f"matching-{name}", "en")
    assert problems == [], "\n".join(problems)
