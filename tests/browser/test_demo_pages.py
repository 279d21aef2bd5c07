"""The pages of a programme under way, swept on the demo data (marketplace/demo.py), which has
something in every state: each role's dashboard with its to-do list, a participant's journey
with the individual plan, the plan form, the confirmation pages of the irreversible steps
(completing or ending a placement early, recording an outcome, closing a posting, deactivating
an account), the event form with its titles in other languages, and the indicators dashboard
with its charts. Each page is checked in English, Latvian and Russian as in the journeys:
nothing overflows sideways at phone width, axe finds no serious or critical problem, no console
error, and screenshots are kept. Four people
sign in once; only their language changes between rounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.demo import DEMO_PASSWORD
from marketplace.extensions import db
from marketplace.organisations.models import OrganisationMember
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import Placement, PlacementStatus
from marketplace.postings.models import Posting, PostingStatus
from tests.browser.conftest import check_page, click_form, settle, sweep
from tests.clock import site_today

pytestmark = pytest.mark.browser

PEOPLE = {
    "participant": "artem@example.org",
    "mentor": "mentor.riga@example.org",
    "hotel": "hotel.linkoping@example.org",
    "coordinator": "coordinator.riga@example.org",
}
LOCALES = ("en", "lv", "ru")


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _pages() -> tuple[dict[str, list[str]], int]:
    """The paths each person checks, their dashboard first, and the placement whose outcome the
    hotel is asked to confirm."""
    artem = db.session.scalar(
        sa.select(ParticipantProfile.id).join(User).where(User.email == PEOPLE["participant"])
    )
    hotel = _user(PEOPLE["hotel"])
    theirs = sa.select(OrganisationMember.organisation_id).where(
        OrganisationMember.user_id == hotel.id
    )
    running = db.session.scalar(
        sa.select(Placement.id).where(
            Placement.organisation_id.in_(theirs), Placement.status == PlacementStatus.ACTIVE
        )
    )
    published = db.session.scalar(
        sa.select(Posting.id)
        .where(Posting.organisation_id.in_(theirs), Posting.status == PostingStatus.PUBLISHED)
        .order_by(Posting.id)
    )
    oleksandr = _user("oleksandr@example.org").id
    pages = {
        "participant": ["/dashboard", f"/participants/{artem}/journey", f"/plans/{artem}"],
        "mentor": ["/dashboard", f"/plans/{artem}/propose"],
        "hotel": [
            "/dashboard",
            f"/placements/{running}/end/completed",
            f"/placements/{running}/end/early",
            f"/postings/{published}/close",
        ],
        "coordinator": [
            "/dashboard",
            f"/admin/users/{oleksandr}/deactivate",
            "/events/new",
            "/indicators/",
        ],
    }
    return pages, running


def _speak(locale: str) -> None:
    """Every signed-in person reads the site in ``locale`` from their next page on."""
    db.session.execute(
        sa.update(User).where(User.email.in_(PEOPLE.values())).values(preferred_locale=locale)
    )
    settle()


def _load_demo(app, runner) -> None:
    """In an app context of its own: its database session then forgets what it commits, as the
    command's does, while the test's (see the visit fixture) keeps everything."""
    with app.app_context():
        result = runner.invoke(args=["demo", "load"])
    assert "Loaded demo data" in result.output, result.output


def test_dashboards_plans_and_confirmation_pages_of_the_demo(app, runner, visit):
    _load_demo(app, runner)
    pages, running = settle(_pages())
    people = {}
    for name, email in PEOPLE.items():
        people[name] = visit()
        people[name].log_in(email, DEMO_PASSWORD)

    problems = []
    for locale in LOCALES:
        _speak(locale)
        for name, paths in pages.items():
            if locale == LOCALES[0]:
                page = people[name].go(paths[0])
                assert page.locator(".todo-list li").count(), f"{name} has nothing to do"
            problems += sweep(people[name], f"demo-{name}", locale, paths)
        # Recording an outcome asks first, on the page that answers the form.
        hotel = people["hotel"]
        page = hotel.go(f"/placements/{running}")
        page.select_option("#outcome", "job_offer")
        page.fill("#outcome_date", (site_today() - timedelta(days=2)).isoformat())
        click_form(page, "/outcome")
        assert page.locator("form input[name=confirmed]").count() == 1
        problems += check_page(hotel, "demo-hotel", locale, slug=f"placements-{running}-outcome")
    assert problems == [], "\n".join(problems)
