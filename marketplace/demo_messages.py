"""Demo messages nobody has read yet: each participant with something going on finds one."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.applications.models import Application
from marketplace.conversations import services as conversations
from marketplace.conversations.models import Message
from marketplace.demo_history import at, last_notification_id, notifications_since
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import Placement
from marketplace.sites.clock import today_at

# (author, participant, thread kind, days ago, hour at the site, text)
MESSAGES = [
    ("coordinator.riga@example.org", "priya@example.org", "application", 1, 11,
     "Congratulations on the offer, Priya! Jānis would be your mentor at the reception. "
     "Please answer the offer soon; write to me if anything is unclear."),
    ("artem@example.org", "artem@example.org", "placement", 2, 21,
     "Thank you for the banquet, it was a good evening. When do we meet next week?"),
    ("mentor.riga@example.org", "artem@example.org", "placement", 1, 9,
     "Tuesday at 9 in the restaurant. Please bring black shoes, and confirm our last sessions."),
    ("mentor.linkoping@example.org", "mariia@example.org", "placement", 1, 16,
     "Mariia, in your last week we check the rooms on the third floor together. "
     "I am writing your reference letter."),
]  # fmt: skip


def _thread(email: str, kind: str) -> conversations.Thread:
    profile = db.session.scalar(sa.select(ParticipantProfile).join(User).where(User.email == email))
    model = Application if kind == "application" else Placement
    subject_id = db.session.scalar(
        sa.select(model.id).where(model.participant_id == profile.id).order_by(model.id.desc())
    )
    return conversations.thread_for(kind, subject_id)


def load_messages() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Message)):
        return
    for author, participant, kind, days_ago, hour, text in MESSAGES:
        before = last_notification_id()
        user = db.session.scalar(sa.select(User).where(User.email == author))
        thread = _thread(participant, kind)
        message = conversations.post(user, thread, text)
        site = thread.application.posting.site
        message.created_at = at(site, today_at(site) - timedelta(days=days_ago), hour)
        notifications_since(before, message.created_at, read=False)
        db.session.commit()
