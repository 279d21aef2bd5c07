"""Demo placements at each stage: one running for weeks with a session waiting for the
participant and one disputed, one completed with a job offer, one ending next week."""

from __future__ import annotations

import math
from datetime import date, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.applications import services as applications
from marketplace.demo_history import at, history, last_notification_id, notifications_since
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.participants.models import ParticipantProfile
from marketplace.placements import services as placements
from marketplace.placements.models import Outcome, Placement
from marketplace.postings.models import Posting
from marketplace.sites.clock import today_at

COORDINATORS = {"riga": "coordinator.riga@example.org",
                "linkoping": "coordinator.linkoping@example.org"}  # fmt: skip

# (days ago, minutes, topic, the participant's answer: True confirms, a text disputes, None waits)
ARTEM_SESSIONS = [
    (40, 90, "Tour of the restaurant; laying the tables", True),
    (33, 120, "Taking orders at breakfast", True),
    (26, 90, "Greeting guests and reading the menu in Latvian", True),
    (19, 90, "Serving wine; what to do when a guest complains",
     "We met for 45 minutes that day, not 90."),
    (12, 60, "Closing the restaurant after dinner", True),
    (9, 90, "Preparing a conference banquet", None),
    (2, 60, "Looking back on the banquet", None),
]  # fmt: skip
MARIIA_SESSIONS = [
    (70, 90, "First day: the housekeeping round and safety", True),
    (56, 90, "Checking a room the way the hotel wants it", True),
    (42, 60, "Talking to guests in Swedish: short phrases", True),
    (28, 90, "Ordering linen and cleaning supplies", True),
    (14, 90, "Working alone on a floor for a day", True),
    (4, 60, "Planning the last week and a reference letter", None),
]  # fmt: skip

# (participant, posting, mentor or None, started days ago, ends in days (negative: has ended),
#  motivation, sessions)
PLACEMENTS = [
    ("artem@example.org", "Mentorings viesnīcas restorānā", "mentor.riga@example.org", 42, 42,
     "I served in a café in Kazan and want to work in a Riga restaurant.", ARTEM_SESSIONS),
    ("kavya@example.org", "Restaurant service internship", None, 110, -20,
     "I studied hospitality in Chennai and would like to work in a hotel restaurant here.", []),
    ("mariia@example.org", "Mentorskap på hotellets städavdelning", "mentor.linkoping@example.org",
     75, 8, "I kept a guest house clean in Lviv and want to learn how a big hotel does it.",
     MARIIA_SESSIONS),
]  # fmt: skip


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _move_to(placement: Placement, start: date, end: date) -> None:
    """The posting began and the placement started ``start``; what was offered says the same."""
    posting, application = placement.posting, placement.application
    site = posting.site
    posting.start_date, posting.end_date = start, end
    posting.application_deadline = start - timedelta(days=14)
    posting.published_at = at(site, start - timedelta(days=41))
    application.offer_start_date, application.offer_end_date = start, end
    placement.start_date, placement.end_date = start, end
    weeks = math.ceil(((end - start).days + 1) / 7)
    placement.planned_hours = posting.hours_per_week * weeks
    placement.created_at = at(site, start - timedelta(days=20))
    # Its only place taken, the posting closed when the placement was approved.
    history(posting, at(site, start - timedelta(days=45)), last=placement.created_at)
    application.created_at = at(site, start - timedelta(days=30))
    history(application, application.created_at)


def _sessions(placement: Placement, mentor: User, participant: User, sessions: list) -> None:
    site = placement.posting.site
    today = today_at(site)
    for days_ago, minutes, topic, answer in sessions:
        held_on = today - timedelta(days=days_ago)
        before = last_notification_id()
        session = placements.log_session(mentor, placement, held_on, minutes, topic, "")
        logged_at = at(site, held_on, 18)
        if answer is not None:
            disputed = isinstance(answer, str)
            placements.answer_session(
                participant, session, not disputed, answer if disputed else ""
            )
            session.answered_at = logged_at + timedelta(days=1)
        session.created_at = logged_at
        notifications_since(before, logged_at, read=answer is True)


def _place(email, title, mentor_email, started, ends, motivation, sessions) -> Placement:
    profile = db.session.scalar(sa.select(ParticipantProfile).join(User).where(User.email == email))
    posting = db.session.scalar(sa.select(Posting).where(Posting.title == title))
    owner = posting.organisation.members[0].user
    coordinator = _user(COORDINATORS[posting.site.slug])
    mentor = (
        db.session.scalar(sa.select(MentorProfile).join(User).where(User.email == mentor_email))
        if mentor_email
        else None
    )
    before = last_notification_id()
    application = applications.apply(profile.user, profile, posting, motivation)
    applications.shortlist(owner, application)
    # A mentor of the hotel's own is named by the hotel; any other by the coordinator.
    own_mentor = mentor is None or mentor.organisation_id == posting.organisation_id
    applications.offer(owner if own_mentor else coordinator, application, mentor)
    if mentor is not None:
        applications.mentor_answer(mentor.user, application, True)
    applications.accept_offer(profile.user, application)
    placement = applications.approve(coordinator, application)
    today = today_at(posting.site)
    start, end = today - timedelta(days=started), today + timedelta(days=ends)
    _move_to(placement, start, end)
    notifications_since(before, placement.created_at, read=True)
    db.session.commit()
    if mentor is not None:
        _sessions(placement, mentor.user, profile.user, sessions)
    if end < today:
        placements.end(owner, placement, completed=True)
        placement.ended_on = end
        history(placement, at(posting.site, end, 17))
        placements.record_outcome(
            owner, placement, Outcome.JOB_OFFER, end + timedelta(days=6), offer_accepted=True
        )
    db.session.commit()
    return placement


def load_placements() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Placement)):
        return
    for row in PLACEMENTS:
        _place(*row)
