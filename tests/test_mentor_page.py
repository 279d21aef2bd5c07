"""The mentor's own page: the same page whether it is asked for or shown again with a form's
errors, and a week that follows the site's calendar."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.mentor_helpers import make_mentor

# Sunday 15 March 2026 at 23:30 UTC is already Monday 16 March, 01:30, in Riga.
SUNDAY_NIGHT_UTC = datetime(2026, 3, 15, 23, 30, tzinfo=UTC)

BAD_WEEKLY_TIME = {"weekday": "1", "start_time": "12:00", "end_time": "09:00"}
BAD_DAY_AWAY = {"starts_on": "2027-03-10", "ends_on": "2027-03-01", "note": ""}


def mentor_client(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def headings(html: str) -> list[str]:
    return [h.get_text(" ", strip=True) for h in BeautifulSoup(html, "html.parser")("h2")]


@pytest.fixture
def mentor_with_a_mentee(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(
        app,
        world,
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    mentee = approved_participant(app, make_user, world.coordinator, display_name="Nimal Perera")
    application = accepted_application(app, world, posting, mentee)
    with app.test_request_context():
        applications.approve(world.coordinator, application)
    return world.mentor


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/mentors/me/windows", BAD_WEEKLY_TIME, "The end must be later than the start."),
        ("/mentors/me/away", BAD_DAY_AWAY, "The last day cannot be before the first day."),
    ],
    ids=["weekly time", "day away"],
)
def test_the_page_keeps_the_mentees_after_a_form_error(
    app, mentor_with_a_mentee, path, data, message
):
    client = mentor_client(app, mentor_with_a_mentee.user)
    asked_for = client.get("/mentors/me").get_data(as_text=True)
    assert "Nimal Perera" in asked_for

    response = client.post(path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Nimal Perera" in page
    assert "No mentees yet." not in page
    assert headings(page) == headings(asked_for)


@pytest.mark.clock
def test_the_week_starts_on_the_sites_date_not_the_servers(app, make_user):
    with time_machine.travel(SUNDAY_NIGHT_UTC, tick=False):
        assert SUNDAY_NIGHT_UTC.astimezone(UTC).date() == date(2026, 3, 15)  # UTC: still Sunday
        user = make_user(Role.MENTOR)
        make_mentor(app, user, approve=False)
        client = mentor_client(app, user)

        pages = [
            client.get("/mentors/me"),
            client.get("/mentors/me?week=not-a-date"),
            client.post("/mentors/me/windows", data=BAD_WEEKLY_TIME),
            client.post("/mentors/me/away", data=BAD_DAY_AWAY),
        ]
    for response in pages:
        page = response.get_data(as_text=True)
        assert "Week of 16 Mar 2026" in page, response.request.path
        days = BeautifulSoup(page, "html.parser").select("li.list-group-item > strong")
        assert days[0].get_text() == "Monday 16 Mar"
