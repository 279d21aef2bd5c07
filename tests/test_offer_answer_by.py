"""An offer asks the participant to answer by a day: a week ahead unless the place starts sooner,
shown with the terms and on both to-do lists, reminded of the day before, and still answerable
once it has passed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from bs4 import BeautifulSoup

from marketplace.applications import services as applications
from marketplace.extensions import db
from marketplace.notifications.models import Notification
from marketplace.reminders.models import ReminderLog
from marketplace.reminders.services import send_due
from tests.application_helpers import approved_participant, make_world, offer_terms, posting_for
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.test_dashboard_todo import todo_list

pytestmark = pytest.mark.clock


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def shown(day) -> str:
    """A date as English pages write it (British conventions: 5 Jun 2026)."""
    return format_date(day, "medium", locale="en_GB")


def todo_row(client, label: str) -> str:
    """The whole text of the dashboard's row whose link reads ``label`` ("" when none)."""
    page = BeautifulSoup(client.get("/dashboard").get_data(as_text=True), "html.parser")
    for row in page.select(".todo-list li"):
        if row.find("a").get_text(strip=True) == label:
            return row.get_text(" ", strip=True)
    return ""


def field_value(page: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else None


def field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</div>', page, re.S)
    return found.group(1).strip() if found else ""


@pytest.fixture
def world(app, make_user):
    return make_world(app, make_user)


def shortlisted(app, make_user, world, profile=None, title="Front desk", **posting):
    profile = profile or approved_participant(
        app, make_user, world.coordinator, display_name="Olena", preferred_locale="en"
    )
    posting = posting_for(app, world, kind="job", title=title, **posting)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "I want to learn.")
        applications.shortlist(world.owner, application)
    return application


def offered(app, make_user, world, answer_by, **shortlisting):
    application = shortlisted(app, make_user, world, **shortlisting)
    answer = client_for(app, world.owner).post(
        f"/applications/{application.id}/offer",
        data=offer_terms(application.posting, answer_by=answer_by.isoformat()),
    )
    assert answer.status_code == 302
    return application


# The employer's form ------------------------------------------------------------------------------


def test_the_answer_by_day_starts_a_week_from_the_sites_today(app, make_user, world):
    application = shortlisted(app, make_user, world)
    page = client_for(app, world.owner).get(f"/applications/{application.id}").get_data(True)
    assert "Please answer by" in page
    assert field_value(page, "answer_by") == (site_today() + timedelta(days=7)).isoformat()


def test_the_answer_by_day_is_the_start_date_when_the_place_starts_sooner(app, make_user, world):
    start = site_today() + timedelta(days=3)
    application = shortlisted(
        app, make_user, world, start_date=start, end_date=start + timedelta(days=30)
    )
    page = client_for(app, world.owner).get(f"/applications/{application.id}").get_data(True)
    assert field_value(page, "answer_by") == start.isoformat()


@pytest.mark.parametrize(
    ("days_from_today", "message"),
    [
        (-1, "This date is in the past. Please choose today or a later day."),
        (21, "This date is after the start date. Please choose the start date or an earlier day."),
    ],
)
def test_a_bad_answer_by_day_is_explained_next_to_the_field_and_nothing_is_sent(
    app, make_user, world, days_from_today, message
):
    application = shortlisted(app, make_user, world)  # the posting starts in 20 days
    day = site_today() + timedelta(days=days_from_today)
    answer = client_for(app, world.owner).post(
        f"/applications/{application.id}/offer",
        data=offer_terms(application.posting, answer_by=day.isoformat()),
    )
    assert answer.status_code == 400
    page = answer.get_data(True)
    assert message in field_error(page, "answer_by")
    assert field_value(page, "answer_by") == day.isoformat()  # the input is kept
    db.session.expire_all()
    assert application.status == "shortlisted"
    assert (application.offer_start_date, application.offer_answer_by) == (None, None)


def test_today_and_the_start_date_itself_are_accepted(app, make_user, world):
    for day in (site_today(), site_today() + timedelta(days=20)):
        assert offered(app, make_user, world, day).offer_answer_by == day


def test_the_service_refuses_a_past_day_too(app, make_user, world):
    application = shortlisted(app, make_user, world)
    terms = applications.proposed_terms(world.owner, application)
    past = applications.OfferTerms(
        **{**terms.__dict__, "answer_by": site_today() - timedelta(days=1)}
    )
    with app.test_request_context(), pytest.raises(applications.Problem):
        applications.offer(world.owner, application, None, past)


# The participant ----------------------------------------------------------------------------------


def test_the_participant_reads_the_day_with_the_terms_and_on_the_to_do_list(app, make_user, world):
    day = site_today() + timedelta(days=5)
    application = offered(app, make_user, world, day)
    participant = client_for(app, application.participant.user)

    page = participant.get(f"/applications/{application.id}").get_data(True)
    answer_by = page.index("Please answer by")
    assert page.index("What is offered") < answer_by < page.index("Accept the offer")
    assert shown(day) in page[answer_by:]
    assert "Overdue" not in page

    link, _ = todo_list(participant)[f"Answer the offer for Front desk by {shown(day)}"]
    assert link == f"/applications/{application.id}"
    note = db.session.scalars(
        sa.select(Notification.text).where(Notification.user_id == application.participant.user_id)
    ).all()
    assert note[-1].endswith(f"Please accept or decline it. Answer by: {shown(day)}")


def test_an_offer_past_its_day_is_overdue_but_can_still_be_accepted(app, make_user, world):
    application = offered(app, make_user, world, site_today() + timedelta(days=2))
    late = site_today() - timedelta(days=1)
    application.offer_answer_by = late  # the day went by without an answer
    db.session.commit()
    participant = client_for(app, application.participant.user)

    row = todo_row(participant, f"Answer the offer for Front desk by {shown(late)}")
    assert "Overdue" in row and "the offer is still open" in row

    page = participant.get(f"/applications/{application.id}").get_data(True)
    assert "Overdue" in page and "Accept the offer" in page
    participant.post(f"/applications/{application.id}/accept")
    db.session.expire_all()
    assert application.status == "accepted"
    assert not any(label.startswith("Answer the offer") for label in todo_list(participant))


def test_an_overdue_offer_comes_before_the_other_things_to_answer(app, make_user, world):
    first = offered(app, make_user, world, site_today() + timedelta(days=6))
    later = site_today() + timedelta(days=2)
    offered(app, make_user, world, later, profile=first.participant, title="Night porter")
    first.offer_answer_by = site_today() - timedelta(days=3)  # its day went by
    db.session.commit()

    labels = list(todo_list(client_for(app, first.participant.user)))
    assert labels[:2] == [
        f"Answer the offer for Front desk by {shown(site_today() - timedelta(days=3))}",
        f"Answer the offer for Night porter by {shown(later)}",
    ]


# The employer -------------------------------------------------------------------------------------


def test_the_employer_sees_the_day_asked_with_the_offers_waiting(app, make_user, world):
    day = site_today() + timedelta(days=4)
    application = offered(app, make_user, world, day)
    hotel = client_for(app, world.owner)
    label = "1 offer for Front desk waits for the participant's answer"
    row = todo_row(hotel, label)
    assert f"Answer asked by {shown(day)}" in row and "Overdue" not in row

    application.offer_answer_by = site_today() - timedelta(days=1)
    db.session.commit()
    assert "Overdue" in todo_row(hotel, label)


# The reminder -------------------------------------------------------------------------------------


def at_noon(site, day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=site.zone).astimezone(UTC)


def reminders_of(user) -> list[str]:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Notification.text).where(
            Notification.user_id == user.id, Notification.text.startswith("By tomorrow")
        )
    ).all()


def test_the_participant_is_reminded_the_day_before_and_only_once(app, make_user, world):
    day = site_today() + timedelta(days=5)
    application = offered(app, make_user, world, day)
    site, person = application.posting.site, application.participant.user

    with app.test_request_context():
        send_due(at_noon(site, day - timedelta(days=2)))
        assert reminders_of(person) == []
        send_due(at_noon(site, day - timedelta(days=1)))
        send_due(at_noon(site, day - timedelta(days=1)) + timedelta(hours=3))
        send_due(at_noon(site, day))
    assert reminders_of(person) == [
        f"By tomorrow, {shown(day)}, please accept or decline the offer for Front desk."
    ]
    assert (
        db.session.scalar(
            sa.select(sa.func.count(ReminderLog.id)).where(ReminderLog.kind == "offer_answer_due")
        )
        == 1
    )


def test_the_reminder_goes_by_the_sites_calendar(app, make_user, world):
    """At half past midnight in Riga UTC still has the day before: Riga's date counts."""
    day = site_today() + timedelta(days=5)
    application = offered(app, make_user, world, day)
    zone = application.posting.site.zone
    half_past_midnight = datetime.combine(day - timedelta(days=1), time(0, 30), tzinfo=zone)
    assert half_past_midnight.astimezone(UTC).date() == day - timedelta(days=2)

    with app.test_request_context():
        send_due(half_past_midnight.astimezone(UTC))
    assert len(reminders_of(application.participant.user)) == 1


def test_no_reminder_once_the_offer_is_answered(app, make_user, world):
    day = site_today() + timedelta(days=5)
    application = offered(app, make_user, world, day)
    with app.test_request_context():
        applications.decline_offer(application.participant.user, application)
        send_due(at_noon(application.posting.site, day - timedelta(days=1)))
    assert reminders_of(application.participant.user) == []


def test_the_reminder_writes_the_date_in_the_readers_language(app, make_user, world):
    day = site_today() + timedelta(days=5)
    application = offered(app, make_user, world, day)
    application.participant.user.preferred_locale = "lv"
    db.session.commit()
    with app.test_request_context():
        send_due(at_noon(application.posting.site, day - timedelta(days=1)))
    texts = db.session.scalars(
        sa.select(Notification.text).where(Notification.link == f"/applications/{application.id}")
    ).all()
    assert format_date(day, "medium", locale="lv") in texts[-1]  # 2026. gada 9. dec.


def test_the_reminders_command_run_twice_sends_it_once(app, make_user, world, runner):
    application = offered(app, make_user, world, site_today() + timedelta(days=1))

    first = runner.invoke(args=["reminders", "send"]).output
    again = runner.invoke(args=["reminders", "send"]).output

    assert "Sent 1 reminders." in first and "Sent 0 reminders." in again
    assert len(reminders_of(application.participant.user)) == 1
