"""iCalendar output made with the icalendar library."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from marketplace.accounts.models import User
from marketplace.auth.sessions import hash_token
from marketplace.calendars.models import CalendarToken
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.mail.services import recipient_locale
from marketplace.mentors.models import MentorProfile
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import MentoringSession, Placement
from marketplace.training.models import Enrolment, TrainingSession


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Mentoring marketplace//EN")
    calendar.add("version", "2.0")
    return calendar


def _entry(uid: str, summary: str, start, end, location: str = "") -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"{uid}@{current_app.config.get('SERVER_NAME') or 'marketplace'}")
    entry.add("summary", summary)
    entry.add("dtstart", start)
    entry.add("dtend", end)
    entry.add("dtstamp", datetime.now(UTC))
    if location:
        entry.add("location", location)
    return entry


def _event_entry(event: Event) -> CalendarEvent:
    return _entry(
        f"event-{event.id}", event.translated_title, event.starts_at, event.ends_at, event.venue
    )


def event_calendar(event: Event) -> bytes:
    calendar = _calendar()
    calendar.add_component(_event_entry(event))
    return calendar.to_ical()


def new_feed_token(user: User) -> str:
    """A new secret feed address for ``user``; the previous one stops working."""
    token = secrets.token_urlsafe(24)
    record = db.session.scalar(sa.select(CalendarToken).where(CalendarToken.user_id == user.id))
    if record is None:
        record = CalendarToken(user_id=user.id, token_hash=hash_token(token))
        db.session.add(record)
    else:
        record.token_hash = hash_token(token)
    db.session.commit()
    return token


def revoke_feed(user: User) -> None:
    db.session.execute(sa.delete(CalendarToken).where(CalendarToken.user_id == user.id))
    db.session.commit()


def has_feed(user: User) -> bool:
    return (
        db.session.scalar(sa.select(CalendarToken.id).where(CalendarToken.user_id == user.id))
        is not None
    )


def user_for_token(token: str) -> User | None:
    record = db.session.scalar(
        sa.select(CalendarToken).where(CalendarToken.token_hash == hash_token(token))
    )
    user = db.session.get(User, record.user_id) if record else None
    return user if user is not None and user.is_active else None


def personal_calendar(user: User) -> bytes:
    """The person's events, training sessions and mentoring sessions, titled in their language
    (the calendar program fetching the feed is signed in as nobody)."""
    with force_locale(recipient_locale(user)):
        return _personal_calendar(user)


def _personal_calendar(user: User) -> bytes:
    calendar = _calendar()
    events = db.session.scalars(sa.select(Event).join(Rsvp).where(Rsvp.user_id == user.id))
    for event in events:
        calendar.add_component(_event_entry(event))
    trainings = db.session.scalars(
        sa.select(TrainingSession)
        .join(Enrolment)
        .join(ParticipantProfile)
        .where(ParticipantProfile.user_id == user.id)
    )
    for training in trainings:
        start = datetime.combine(training.held_on, training.starts_at, tzinfo=training.site.zone)
        calendar.add_component(
            _entry(
                f"training-{training.id}",
                training.translated_title,
                start,
                start + timedelta(minutes=training.minutes),
            )
        )
    sessions = db.session.scalars(
        sa.select(MentoringSession)
        .join(Placement)
        .outerjoin(MentorProfile, MentorProfile.id == Placement.mentor_id)
        .join(ParticipantProfile, ParticipantProfile.id == Placement.participant_id)
        .where(sa.or_(MentorProfile.user_id == user.id, ParticipantProfile.user_id == user.id))
    )
    for session in sessions:
        # Logged sessions have a date only: an all-day entry.
        calendar.add_component(
            _entry(
                f"mentoring-{session.id}",
                session.topic,
                session.held_on,
                session.held_on + timedelta(days=1),
            )
        )
    return calendar.to_ical()
