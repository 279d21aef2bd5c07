"""Threads, reminders and the participant's journey."""

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.conversations.models import Message
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.mail.models import OutboxMessage
from marketplace.notifications.models import Notification
from marketplace.placements import services as placements
from marketplace.reminders.models import ReminderLog
from marketplace.reminders.services import send_due
from marketplace.training.models import Enrolment, TrainingSession
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in

pytestmark = pytest.mark.clock


def client_for(app, user, locale="en"):
    client = english_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    log_in(client, user)
    return client


@pytest.fixture
def world(app, make_user):
    return make_world(app, make_user)


def test_hotel_joins_the_thread_only_after_the_shortlist(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator, display_name="Olena")
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Hello")
    participant, hotel = client_for(app, profile.user), client_for(app, world.owner)
    path = f"/messages/application/{application.id}"

    participant.post(path, data={"body": "Can I start in May?"})
    assert hotel.post(path, data={"body": "Sure"}).status_code == 404
    assert "Can I start in May?" not in hotel.get(f"/applications/{application.id}").get_data(
        as_text=True
    )

    hotel.post(f"/applications/{application.id}/shortlist")
    page = hotel.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Can I start in May?" in page
    hotel.post(path, data={"body": "Yes, May is fine."})
    assert "Yes, May is fine." in participant.get(f"/applications/{application.id}").get_data(
        as_text=True
    )
    assert (
        client_for(app, make_user(Role.PARTICIPANT)).post(path, data={"body": "x"}).status_code
        == 404
    )

    mails = db.session.scalars(sa.select(OutboxMessage.body_text)).all()
    assert not any("Yes, May is fine." in body for body in mails)  # e-mails never carry the text


def test_bad_messages_and_reports(app, make_user, world):
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(profile.user, profile, posting, "Hello")
        applications.shortlist(world.owner, application)
    world.coordinator.preferred_locale = "en"  # to read the notification below
    db.session.commit()
    hotel, participant = client_for(app, world.owner), client_for(app, profile.user)
    page = hotel.post(
        f"/messages/application/{application.id}", data={"body": "x" * 2001}, follow_redirects=True
    ).get_data(as_text=True)
    assert "at most 2000 characters" in page
    hotel.post(f"/messages/application/{application.id}", data={"body": "Rude words"})
    message = db.session.scalar(sa.select(Message))
    participant.post(f"/messages/application/{application.id}/{message.id}/report")
    db.session.refresh(message)
    assert message.reported_at is not None
    coordinator_notes = db.session.scalars(
        sa.select(Notification.text).where(Notification.user_id == world.coordinator.id)
    ).all()
    assert any("reported" in text for text in coordinator_notes)


def test_reminders_are_sent_once_and_respect_the_opt_out(app, make_user, world):
    posting = posting_for(
        app,
        world,
        start_date=site_today() - timedelta(days=30),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        placement = applications.approve(world.coordinator, application)
        placements.log_session(
            world.mentor.user, placement, site_today() - timedelta(days=20), 60, "First meeting", ""
        )
    world.mentor.user.reminder_emails = False
    world.mentor.user.preferred_locale = "en"  # to read the reminder below
    db.session.commit()

    later = datetime.now(UTC) + timedelta(days=10)
    with app.test_request_context():
        first = send_due(later)
        again = send_due(later)
    assert first >= 2 and again == 0
    kinds = set(db.session.scalars(sa.select(ReminderLog.kind)))
    assert {"mentor_idle", "session_unconfirmed"} <= kinds
    mentor_mail = db.session.scalars(
        sa.select(OutboxMessage.subject).where(OutboxMessage.recipient == world.mentor.user.email)
    ).all()
    assert not any("two weeks" in subject for subject in mentor_mail)  # opted out of e-mail
    mentor_notes = db.session.scalars(
        sa.select(Notification.text).where(Notification.user_id == world.mentor.user_id)
    ).all()
    assert any("two weeks" in text for text in mentor_notes)  # but still told in the app


def test_event_tomorrow_and_permit_reminders(app, make_user, world):
    profile = approved_participant(app, make_user, world.coordinator)
    profile.work_permit = "has_permit"
    profile.work_permit_expires_on = site_today() + timedelta(days=20)
    site = profile.site
    tomorrow = datetime.combine(site_today() + timedelta(days=1), time(15), tzinfo=site.zone)
    event = Event(
        site_id=site.id,
        kind="seminar",
        title="Rights at work",
        venue="Riga",
        starts_at=tomorrow,
        ends_at=tomorrow + timedelta(hours=1),
        capacity=5,
    )
    db.session.add(event)
    db.session.flush()
    db.session.add(Rsvp(event_id=event.id, user_id=profile.user_id))
    db.session.commit()
    with app.test_request_context():
        send_due(datetime.now(UTC))
    kinds = set(db.session.scalars(sa.select(ReminderLog.kind)))
    assert {"event_tomorrow", "permit_expiring"} <= kinds
    # In the participant's language (the site's, Latvian), the date as dates read elsewhere.
    expires = format_date(profile.work_permit_expires_on, "medium", locale="lv")
    notes = db.session.scalars(
        sa.select(Notification.text).where(Notification.user_id == profile.user_id)
    ).all()
    assert any(f"{expires} beidzas jūsu darba atļaujas" in note for note in notes), notes


def test_reminders_count_days_on_the_sites_calendar(app, make_user, world):
    """Half an hour after midnight in Riga, UTC's date is still yesterday's: the reminders go by
    Riga's date. Two weeks without a session are up, and a permit that ran out yesterday is no
    longer "expiring"."""
    today = site_today()
    posting = posting_for(
        app, world, start_date=today - timedelta(days=30), end_date=today + timedelta(days=60)
    )
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        placement = applications.approve(world.coordinator, application)
        placements.log_session(world.mentor.user, placement, today - timedelta(days=4), 60, "", "")
    riga_day = today + timedelta(days=10)  # 14 days after that session
    profile.work_permit = "has_permit"
    profile.work_permit_expires_on = riga_day - timedelta(days=1)
    db.session.commit()
    half_past_midnight = datetime.combine(riga_day, time(0, 30), tzinfo=profile.site.zone)
    assert half_past_midnight.astimezone(UTC).date() == riga_day - timedelta(days=1)

    with app.test_request_context():
        send_due(half_past_midnight.astimezone(UTC))
    kinds = set(db.session.scalars(sa.select(ReminderLog.kind)))
    assert "mentor_idle" in kinds
    assert "permit_expiring" not in kinds


def test_reminders_command_prints_what_it_sent(runner):
    assert "Sent 0 reminders." in runner.invoke(args=["reminders", "send"]).output


def test_notifications_are_marked_read_when_seen(app, make_user):
    user = make_user(Role.PARTICIPANT)
    db.session.add(Notification(user_id=user.id, text="Hello"))
    db.session.commit()
    client = client_for(app, user)
    assert '<span class="badge text-bg-primary">1</span>' in client.get("/dashboard").get_data(
        as_text=True
    )
    client.get("/notifications/")
    assert '<span class="badge text-bg-primary">' not in client.get("/dashboard").get_data(
        as_text=True
    )


def test_journey_and_certificate_figures_match_delivery(app, make_user, world):
    posting = posting_for(
        app,
        world,
        start_date=site_today() - timedelta(days=30),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(
        app, make_user, world.coordinator, display_name="Oksana", preferred_locale="lv"
    )
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        placement = applications.approve(world.coordinator, application)
        for minutes in (90, 60):
            session = placements.log_session(
                world.mentor.user, placement, site_today() - timedelta(days=3), minutes, "Desk", ""
            )
            placements.answer_session(profile.user, session, True)
        placements.log_session(
            world.mentor.user, placement, site_today() - timedelta(days=2), 45, "Not confirmed", ""
        )
    training = TrainingSession(
        site_id=profile.site_id,
        category="local_language",
        title="A1",
        held_on=site_today() - timedelta(days=1),
        starts_at=time(10),
        minutes=120,
        trainer="Inese",
        capacity=5,
        enrolled=1,
    )
    training.enrolments = [Enrolment(participant_id=profile.id, attended=True)]
    db.session.add(training)
    db.session.commit()

    placement_page = client_for(app, world.coordinator).get(f"/placements/{placement.id}")
    assert placements.hours(placement).confirmed == 2.5
    assert "2.5" in placement_page.get_data(as_text=True)

    certificate = (
        client_for(app, profile.user, "en")
        .get(f"/participants/{profile.id}/certificate")
        .get_data(as_text=True)
    )
    assert '<html lang="lv">' in certificate  # always in the participant's language
    assert "2,5" in certificate and "Oksana" in certificate  # 2.5 mentoring hours, Latvian style
    coordinator = client_for(app, world.coordinator)
    coordinator.post(f"/participants/{profile.id}/certificate/issue")
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == profile.user_id, Notification.link.like("%certificate%"))
        )
        == 1
    )
    journey = coordinator.get(f"/participants/{profile.id}/journey").get_data(as_text=True)
    assert "A1" in journey and posting.title in journey
    assert (
        client_for(app, make_user(Role.EMPLOYER_STAFF))
        .get(f"/participants/{profile.id}/journey")
        .status_code
        == 404
    )
