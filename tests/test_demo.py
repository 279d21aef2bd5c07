"""The demo shows every state a person meets, with dates relative to the site's today."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.applications.models import Application
from marketplace.certificates import services as certificates
from marketplace.conversations import services as conversations
from marketplace.conversations.models import Message
from marketplace.events.models import Event
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.notifications.models import Notification
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import (
    MentoringSession,
    Outcome,
    Placement,
    PlacementStatus,
    SessionStatus,
)
from marketplace.plans import services as plans
from marketplace.plans.models import Plan, VersionStatus
from marketplace.postings.models import Posting, PostingStatus
from marketplace.questionnaires.models import Question
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site, TrainingCategory
from marketplace.training.models import Enrolment, TrainingSession
from marketplace.workflow.models import StatusChange

LANGUAGES = {"en", "lv", "sv", "ru", "uk"}


@pytest.fixture
def database_url(demo_database, tmp_path):
    """Each test starts from the demo as ``flask demo load`` leaves it, loaded once for all of
    them (tests/conftest.py)."""
    return demo_database.database_url_for(tmp_path)


@pytest.fixture
def demo(app, demo_database, pytestconfig):
    demo_database.put_back(pytestconfig)
    return {site.slug: site for site in db.session.scalars(sa.select(Site))}


def _placements(status: str) -> list[Placement]:
    return list(db.session.scalars(sa.select(Placement).where(Placement.status == status)))


def test_an_active_mentoring_placement_started_weeks_ago_has_sessions_to_confirm_and_disputed(
    demo,
):
    running = [
        p
        for p in _placements(PlacementStatus.ACTIVE)
        if p.mentor_id is not None and (today_at(p.posting.site) - p.start_date).days >= 21
    ]
    assert running
    statuses = {s.status for p in running for s in p.sessions}
    assert {SessionStatus.LOGGED, SessionStatus.DISPUTED, SessionStatus.CONFIRMED} <= statuses
    disputed = [s for p in running for s in p.sessions if s.status == SessionStatus.DISPUTED]
    assert all(s.dispute_note for s in disputed)


def test_sessions_were_logged_on_the_day_held_and_answered_after(demo):
    now = datetime.now(UTC)
    sessions = list(db.session.scalars(sa.select(MentoringSession)))
    assert len(sessions) >= 5
    for session in sessions:
        placement = session.placement
        site = placement.posting.site
        assert placement.start_date <= session.held_on <= today_at(site)
        assert session.created_at.astimezone(site.zone).date() == session.held_on
        assert session.created_at <= now
        if session.status == SessionStatus.LOGGED:
            assert session.answered_at is None
        else:
            assert session.created_at < session.answered_at <= now
    # One waits for the participant for more than a week: a reminder is due.
    assert any(
        s.status == SessionStatus.LOGGED and s.created_at <= now - timedelta(days=7)
        for s in sessions
    )


def test_a_completed_placement_ended_with_a_job_offer(demo):
    completed = _placements(PlacementStatus.COMPLETED)
    assert any(
        p.outcome == Outcome.JOB_OFFER
        and p.ended_on < today_at(p.posting.site)
        and p.ended_on <= p.outcome_date <= today_at(p.posting.site)
        for p in completed
    )


def test_a_placement_ends_next_week(demo):
    assert any(
        7 <= (p.end_date - today_at(p.posting.site)).days <= 10
        for p in _placements(PlacementStatus.ACTIVE)
    )


def test_mentors_count_their_active_mentees(demo):
    for mentor in db.session.scalars(sa.select(MentorProfile)):
        active = db.session.scalar(
            sa.select(sa.func.count(Placement.id)).where(
                Placement.mentor_id == mentor.id, Placement.status == PlacementStatus.ACTIVE
            )
        )
        assert mentor.active_mentees == active <= mentor.max_mentees


def test_training_was_held_in_every_category_of_each_sites_plan_with_attendance(demo):
    for site in demo.values():
        held = db.session.execute(
            sa.select(TrainingSession.category, sa.func.count(Enrolment.id))
            .join(Enrolment)
            .where(
                TrainingSession.site_id == site.id,
                TrainingSession.held_on < today_at(site),
                Enrolment.attended.is_(True),
            )
            .group_by(TrainingSession.category)
        ).all()
        assert {category for category, attended in held if attended} == set(TrainingCategory)
        assert all(site.planned_hours(category) for category in TrainingCategory)


def test_past_events_have_attendance_and_coming_ones_sign_ups(demo):
    now = datetime.now(UTC)
    events = list(db.session.scalars(sa.select(Event)))
    past = [e for e in events if e.ends_at < now]
    coming = [e for e in events if e.starts_at > now]
    assert any(any(r.attended for r in e.rsvps) for e in past)
    assert any(e.rsvps and e.attending == len(e.rsvps) for e in coming)
    for event in past:
        assert event.created_at < event.starts_at
    # One is tomorrow at its site, so a reminder is due.
    assert any(
        e.starts_at.astimezone(e.site.zone).date() == today_at(e.site) + timedelta(days=1)
        and e.rsvps
        for e in coming
    )


def test_priya_has_an_open_offer_and_participants_have_unread_messages(demo):
    priya = db.session.scalar(sa.select(User).where(User.email == "priya@example.org"))
    offer = db.session.scalar(
        sa.select(Application).join(Application.participant).where(Application.status == "offered")
    )
    assert offer.participant.user_id == priya.id
    unread = {}
    for message in db.session.scalars(sa.select(Message)):
        thread = conversations.thread_for(message.thread_kind, message.thread_id)
        participant = thread.application.participant.user
        unread[participant.email] = conversations.unread_count(participant, thread)
    assert unread["priya@example.org"] >= 1
    assert sum(1 for count in unread.values() if count) >= 2
    assert db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == priya.id, Notification.read_at.is_(None)
        )
    )


def test_a_plan_is_agreed_and_another_waits_for_agreement(demo):
    statuses = {
        version.status for plan in db.session.scalars(sa.select(Plan)) for version in plan.versions
    }
    assert {VersionStatus.AGREED, VersionStatus.PROPOSED} <= statuses


def test_an_agreed_plan_is_in_progress(demo):
    """Part of its hours are done (counted from attendance and confirmed sessions) and part are
    still to come; one goal is reached, others are not yet."""
    in_progress = []
    for plan in db.session.scalars(sa.select(Plan)):
        view = plans.view(plan.participant)
        if view.current is None:
            continue
        done = [row for row in view.progress if row.done > 0]
        to_come = [row for row in view.progress if row.done < row.planned]
        reached = [goal.reached_on is not None for goal in view.current.goals]
        if done and to_come and any(reached) and not all(reached):
            in_progress.append(plan)
    assert in_progress


def test_training_and_event_titles_are_given_in_each_language(demo):
    """The main title is in the site's language and the four others are its translations;
    no title mixes two languages."""
    items = [*db.session.scalars(sa.select(TrainingSession)), *db.session.scalars(sa.select(Event))]
    assert items
    for item in items:
        assert set(item.title_translations) == LANGUAGES - {item.site.default_locale}, item.title
        titles = [item.title, *item.title_translations.values()]
        assert len(set(titles)) == len(LANGUAGES), titles
        assert not any(mark in title for title in titles for mark in (" · ", " / ")), titles


def test_kavyas_certificate_is_issued_and_its_code_checks_out(demo, client):
    kavya = db.session.scalar(
        sa.select(ParticipantProfile).join(User).where(User.email == "kavya@example.org")
    )
    certificate = certificates.latest_for(kavya)
    check = client.get(f"/certificates/{certificates.formatted(certificate.code)}")
    assert check.status_code == 200
    page = check.get_data(as_text=True)
    assert "Kavya Nair" in page and "Restaurant service internship" not in page  # totals only


def test_postings_are_written_in_each_of_the_five_languages(demo):
    published = db.session.scalars(
        sa.select(Posting.content_locale).where(Posting.status == PostingStatus.PUBLISHED)
    )
    assert set(published) == LANGUAGES
    for posting in db.session.scalars(sa.select(Posting)):
        if posting.content_locale == "en":
            continue
        # The description is in the posting's language too, not English.
        assert "experienced colleague" not in posting.description


def test_the_questionnaire_is_written_in_each_language(demo):
    for question in db.session.scalars(sa.select(Question)):
        assert len({question.text_in("text", language) for language in LANGUAGES}) == 5


def test_nothing_in_the_demo_happened_in_the_future(demo):
    now = datetime.now(UTC)
    for column in (
        StatusChange.created_at,
        MentoringSession.created_at,
        Message.created_at,
        Notification.created_at,
        User.created_at,
    ):
        assert db.session.scalar(sa.select(sa.func.max(column))) <= now, column


def test_placements_follow_their_application_and_posting_history(demo):
    for placement in db.session.scalars(sa.select(Placement)):
        steps = db.session.scalars(
            sa.select(StatusChange.created_at).where(
                StatusChange.object_type == "Application",
                StatusChange.object_id == placement.application_id,
            )
        ).all()
        assert max(steps) <= placement.created_at
        start = datetime.combine(placement.start_date, datetime.min.time(), tzinfo=UTC)
        assert placement.created_at < start
        assert placement.posting.published_at < min(steps)


def test_reminders_are_due_once_on_a_fresh_demo(demo, runner):
    first = runner.invoke(args=["reminders", "send"]).output
    assert int(re.search(r"Sent (\d+) reminders", first).group(1)) >= 1, first
    assert "Sent 0 reminders" in runner.invoke(args=["reminders", "send"]).output
