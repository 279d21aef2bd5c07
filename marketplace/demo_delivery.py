"""Demo group training in every category of each site's plan, with attendance, and events:
past ones with attendance, coming ones with sign-ups (one tomorrow, so a reminder is due).

Training and event titles are one text each: the demo writes them in the site's language
followed by English, as a programme writing for its mixed groups would."""

from __future__ import annotations

from datetime import time, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.demo_history import at
from marketplace.events import services as events
from marketplace.events.models import Event, EventKind
from marketplace.extensions import db
from marketplace.participants.models import ParticipantProfile
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site, TrainingCategory
from marketplace.training import services as training
from marketplace.training.models import TrainingSession

COORDINATORS = {"riga": "coordinator.riga@example.org",
                "linkoping": "coordinator.linkoping@example.org"}  # fmt: skip

# (site, category, title, days ago (negative: still to come), minutes, trainer)
TRAINING = [
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     "Latviešu valoda A1: viesnīcā · Latvian A1: at the hotel", 27, 90, "Inese Ozola"),
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     "Latviešu valoda A1: virtuvē · Latvian A1: in the kitchen", 13, 90, "Inese Ozola"),
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     "Latviešu valoda A2: sarunas ar viesiem · Latvian A2: talking to guests", 6, 90,
     "Inese Ozola"),
    ("riga", TrainingCategory.CULTURE, "Darba dzīve Latvijā · Working life in Latvia", 20, 120,
     "Pēteris Kalns"),
    ("riga", TrainingCategory.ENTREPRENEURSHIP,
     "Sava kafejnīca: no idejas līdz plānam · Your own café: from idea to plan", 16, 180,
     "Pēteris Kalns"),
    ("riga", TrainingCategory.PROFESSIONAL_IDENTITY,
     "Mans profesionālais stāsts · My professional story", 9, 120, "Anna Bērziņa"),
    ("riga", TrainingCategory.CAREER_SUPPORT, "CV un darba intervija · CV and job interview", 3,
     120, "Anna Bērziņa"),
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     "Latviešu valoda A2: pa telefonu · Latvian A2: on the phone", -5, 90, "Inese Ozola"),
    ("linkoping", TrainingCategory.LOCAL_LANGUAGE,
     "Svenska för hotellet · Swedish for the hotel", 20, 90, "Eva Berg"),
    ("linkoping", TrainingCategory.LOCAL_LANGUAGE, "Svenska i köket · Swedish in the kitchen", 6,
     90, "Eva Berg"),
    ("linkoping", TrainingCategory.CULTURE, "Arbetsliv i Sverige · Working life in Sweden", 15,
     120, "Lars Holm"),
    ("linkoping", TrainingCategory.ENTREPRENEURSHIP,
     "Starta eget företag · Starting your own business", 11, 120, "Lars Holm"),
    ("linkoping", TrainingCategory.PROFESSIONAL_IDENTITY,
     "Mitt första jobb i Sverige · My first job in Sweden", 8, 60, "Eva Berg"),
    ("linkoping", TrainingCategory.CAREER_SUPPORT, "CV och arbetsintervju · CV and job interview",
     1, 90, "Lars Holm"),
    ("linkoping", TrainingCategory.LOCAL_LANGUAGE,
     "Svenska i receptionen · Swedish at the reception", -6, 90, "Eva Berg"),
]  # fmt: skip

# Weekly language courses, so the hours delivered show against each site's plan:
# (site, title in the site's language and in English with {n} for the lesson, lessons,
#  first lesson days ago, minutes, trainer)
COURSES = [
    ("riga", "Latviešu valoda A1–A2, {n}. nodarbība · Latvian A1–A2, lesson {n}", 12, 81, 120,
     "Inese Ozola"),
    ("linkoping", "Svenska A1–A2, lektion {n} · Swedish A1–A2, lesson {n}", 10, 67, 120,
     "Eva Berg"),
]  # fmt: skip
COURSE_SESSIONS = [
    (slug, TrainingCategory.LOCAL_LANGUAGE, title.format(n=n), first - 7 * (n - 1), minutes,
     trainer)
    for slug, title, lessons, first, minutes, trainer in COURSES
    for n in range(1, lessons + 1)
]  # fmt: skip

# (site, kind, title, description, days ahead (negative: past), venue, guests)
EVENTS = [
    ("riga", EventKind.NETWORKING, "Tikšanās ar viesnīcu vadītājiem · Meet hotel managers",
     "Rīgas viesnīcu vadītāji stāsta, ko viņi sagaida no jauniem darbiniekiem.\n\n"
     "Managers of Riga's hotels tell what they expect of new staff.",
     -21, "Elizabetes iela 2, Rīga",
     ["priya@example.org", "artem@example.org", "kavya@example.org", "mentor.riga@example.org"]),
    ("riga", EventKind.CONFERENCE,
     "Jaunieši un darbs viesmīlībā · Young people and work in hospitality",
     "Programmas gada konference.\n\nThe programme's yearly conference.",
     -10, "Kaļķu iela 7, Rīga",
     ["artem@example.org", "kavya@example.org", "hotel.riga@example.org"]),
    ("riga", EventKind.EXCURSION, "Viesnīca no iekšpuses · Behind the scenes of a Riga hotel",
     "Ekskursija pa viesnīcu: virtuve, veļas mazgātava un recepcija.\n\n"
     "A tour of a hotel: the kitchen, the laundry and the reception.",
     1, "Brīvības iela 1, Rīga", ["priya@example.org", "artem@example.org"]),
    ("riga", EventKind.NETWORKING, "Satiec viesmīlības darba devējus · Meet hospitality employers",
     "Īsas sarunas ar darba devējiem.\n\nShort talks with employers.",
     16, "Elizabetes iela 2, Rīga", ["kavya@example.org"]),
    ("linkoping", EventKind.SEMINAR, "Rättigheter i arbetslivet · Rights at work in Sweden",
     "Om anställningsavtal, lön och arbetstider.\n\n"
     "On employment contracts, pay and working hours.",
     -14, "Storgatan 1, Linköping",
     ["nimal@example.org", "mariia@example.org", "mentor.linkoping@example.org"]),
    ("linkoping", EventKind.SEMINAR,
     "Så går en anställningsintervju till · How a job interview works",
     "Vi övar intervjun tillsammans.\n\nWe practise the interview together.",
     12, "Storgatan 1, Linköping", ["nimal@example.org", "mariia@example.org"]),
]  # fmt: skip


def _came(row: int, person: int) -> bool:
    """Most people come; now and then someone misses a session."""
    return (row + person) % 4 != 3


def _load_training(sites: dict[str, Site], coordinators: dict[str, User]) -> None:
    for row, (slug, category, title, days_ago, minutes, trainer) in enumerate(
        COURSE_SESSIONS + TRAINING
    ):
        site = sites[slug]
        held_on = today_at(site) - timedelta(days=days_ago)
        session = training.create(
            coordinators[slug],
            site,
            dict(category=category, title=title, held_on=held_on, starts_at=time(10),
                 minutes=minutes, trainer=trainer, capacity=12),
        )  # fmt: skip
        session.created_at = at(site, held_on - timedelta(days=14))
        approved = db.session.scalars(
            sa.select(ParticipantProfile)
            .where(
                ParticipantProfile.site_id == site.id,
                ParticipantProfile.status == ParticipantStatus.APPROVED,
            )
            .order_by(ParticipantProfile.id)
        )
        for profile in approved:
            training.enrol(coordinators[slug], session, profile)
        if days_ago > 0:
            present = {
                enrolment.id
                for person, enrolment in enumerate(session.enrolments)
                if _came(row, person)
            }
            training.record_attendance(coordinators[slug], session, present)


def _load_events(sites: dict[str, Site], coordinators: dict[str, User]) -> None:
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    for row, (slug, kind, title, description, days_ahead, venue, guests) in enumerate(EVENTS):
        site = sites[slug]
        day = today_at(site) + timedelta(days=days_ahead)
        # Sign-ups close when an event is over: a past one is signed up for while it is to come.
        sign_up_day = max(day, today_at(site) + timedelta(days=1))
        start = at(site, sign_up_day, 15)
        event = events.create(
            coordinators[slug],
            site.id,
            dict(kind=kind, title=title, description=description, venue=venue, starts_at=start,
                 ends_at=start + timedelta(hours=2), capacity=20),
        )  # fmt: skip
        for email in guests:
            events.sign_up(users[email], event)
        event.starts_at = at(site, day, 15)
        event.ends_at = event.starts_at + timedelta(hours=2)
        event.created_at = at(site, day - timedelta(days=30))
        if days_ahead < 0:
            present = {rsvp.id for person, rsvp in enumerate(event.rsvps) if _came(row, person)}
            events.record_attendance(coordinators[slug], event, present)
        db.session.commit()


def load_delivery() -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)):
        return
    sites = {s.slug: s for s in db.session.scalars(sa.select(Site))}
    coordinators = {
        slug: db.session.scalar(sa.select(User).where(User.email == email))
        for slug, email in COORDINATORS.items()
    }
    _load_training(sites, coordinators)
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Event)):
        _load_events(sites, coordinators)
    db.session.commit()
