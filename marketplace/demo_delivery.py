"""Demo group training with attendance and upcoming events at both sites."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from marketplace.events.models import Event, EventKind
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.sites.models import Site, TrainingCategory
from marketplace.training.models import Enrolment, TrainingSession

# (site, category, title, days ago, minutes, trainer)
TRAINING = [
    ("riga", TrainingCategory.LOCAL_LANGUAGE, "Latviešu valoda A1: viesnīcā", 6, 90, "Inese Ozola"),
    ("riga", TrainingCategory.LOCAL_LANGUAGE, "Latviešu valoda A1: virtuvē", 2, 90, "Inese Ozola"),
    ("riga", TrainingCategory.CULTURE, "Working life in Latvia", 3, 120, "Pēteris Kalns"),
    ("linkoping", TrainingCategory.LOCAL_LANGUAGE, "Svenska för hotellet", 4, 90, "Eva Berg"),
    (
        "linkoping",
        TrainingCategory.PROFESSIONAL_IDENTITY,
        "My first job in Sweden",
        1,
        60,
        "Eva Berg",
    ),
]

# (site, kind, title, days ahead, venue)
EVENTS = [
    ("riga", EventKind.EXCURSION, "Behind the scenes of a Riga hotel", 9, "Brīvības iela 1, Rīga"),
    ("riga", EventKind.NETWORKING, "Meet hospitality employers", 16, "Elizabetes iela 2, Rīga"),
    ("linkoping", EventKind.SEMINAR, "Rights at work in Sweden", 12, "Storgatan 1, Linköping"),
]


def load_delivery() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)):
        return
    sites = {s.slug: s for s in db.session.scalars(sa.select(Site))}
    today = datetime.now(UTC).date()
    for slug, category, title, days_ago, minutes, trainer in TRAINING:
        site = sites[slug]
        approved = list(
            db.session.scalars(
                sa.select(ParticipantProfile).where(
                    ParticipantProfile.site_id == site.id,
                    ParticipantProfile.status == ParticipantStatus.APPROVED,
                )
            )
        )
        session = TrainingSession(
            site_id=site.id,
            category=category,
            title=title,
            held_on=today - timedelta(days_ago),
            starts_at=time(10),
            minutes=minutes,
            trainer=trainer,
            capacity=12,
            enrolled=len(approved),
            enrolments=[Enrolment(participant_id=p.id, attended=True) for p in approved],
        )
        db.session.add(session)
    for slug, kind, title, days_ahead, venue in EVENTS:
        site = sites[slug]
        start = datetime.combine(today + timedelta(days=days_ahead), time(15), tzinfo=site.zone)
        db.session.add(
            Event(
                site_id=site.id,
                kind=kind,
                title=title,
                venue=venue,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                capacity=20,
            )
        )
    db.session.commit()
