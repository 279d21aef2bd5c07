"""Demo individual plans: Artem's agreed plan fills up with his training and sessions; Mariia's
waits for her agreement."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.demo_history import at, history, last_notification_id, notifications_since
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import Placement
from marketplace.plans import services as plans
from marketplace.plans.models import Measure, Plan
from marketplace.sites.clock import today_at

# (participant, who drafts it, measures, goals (text, target in days), agreed, goal reached
#  (position, days ago, note))
PLANS = [
    ("artem@example.org", "mentor.riga@example.org",
     {Measure.LOCAL_LANGUAGE: 40, Measure.CULTURE: 6, Measure.PROFESSIONAL_IDENTITY: 6,
      Measure.CAREER_SUPPORT: 6, Measure.WORKPLACE_MENTORING: 30, Measure.EVENTS: 6},
     [("Serve a whole dinner shift on my own", 20),
      ("Talk with guests in Latvian at level A2", 60),
      ("Apply for a waiter's job in Riga", 90)],
     True, (1, 5, "Served the Friday dinner alone; the guests were happy.")),
    ("mariia@example.org", "coordinator.linkoping@example.org",
     {Measure.LOCAL_LANGUAGE: 30, Measure.CULTURE: 4, Measure.CAREER_SUPPORT: 4,
      Measure.WORKPLACE_MENTORING: 15},
     [("Ask for a reference letter from the hotel", 10),
      ("Apply for two housekeeping jobs in Linköping", 45)],
     False, None),
]  # fmt: skip


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def load_plans() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Plan)):
        return
    for email, drafter, measures, goals, agreed, reached in PLANS:
        profile = db.session.scalar(
            sa.select(ParticipantProfile).join(User).where(User.email == email)
        )
        site = profile.site
        today = today_at(site)
        started = db.session.scalar(
            sa.select(Placement.start_date).where(Placement.participant_id == profile.id)
        )
        proposed_at = at(site, started + timedelta(days=3), 16)
        before = last_notification_id()
        version = plans.propose(
            _user(drafter),
            profile,
            measures,
            [(text, today + timedelta(days=days)) for text, days in goals],
        )
        version.proposed_at = proposed_at
        if agreed:
            plans.agree(profile.user, profile, version.number)
            version.agreed_at = proposed_at + timedelta(days=2)
        history(version, proposed_at, step=timedelta(days=2))
        notifications_since(before, proposed_at, read=agreed)
        if reached:
            position, days_ago, note = reached
            goal = next(g for g in version.goals if g.position == position)
            plans.mark_reached(
                _user(drafter), profile, goal.id, today - timedelta(days=days_ago), note
            )
        db.session.commit()
