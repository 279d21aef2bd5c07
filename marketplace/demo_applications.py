"""Demo applications: one waiting for each kind of person to act."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.applications import services
from marketplace.applications.models import Application
from marketplace.db import utcnow
from marketplace.demo_history import history
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting


def _profile(email: str) -> ParticipantProfile:
    return db.session.scalar(sa.select(ParticipantProfile).join(User).where(User.email == email))


def load_applications() -> None:
    """Priya has an offer with a mentor named (the mentor and she answer next); Nimal's
    application waits for the hotel."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Application)):
        return
    reception = db.session.scalar(
        sa.select(Posting).where(Posting.title == "Mentorings viesnīcas recepcijā")
    )
    kitchen = db.session.scalar(
        sa.select(Posting).where(Posting.title == "Praktik i hotellets kök")
    )
    mentor = db.session.scalar(
        sa.select(MentorProfile).join(User).where(User.email == "mentor.riga@example.org")
    )
    owner = reception.organisation.members[0].user
    priya = _profile("priya@example.org")
    application = services.apply(
        priya.user,
        priya,
        reception,
        "I worked at a hotel desk in Pune and want to learn the Latvian way.",
    )
    services.shortlist(owner, application)
    services.offer(owner, application, mentor)
    # She applied a week ago; the offer came the day before yesterday.
    history(application, utcnow() - timedelta(days=7), step=timedelta(days=2, hours=12))
    application.created_at = utcnow() - timedelta(days=7)
    nimal = _profile("nimal@example.org")
    services.apply(nimal.user, nimal, kitchen, "I love cooking and want to work in a kitchen here.")
