"""Demo group training in every category of each site's plan, with attendance, and events:
past ones with attendance, coming ones with sign-ups (one tomorrow, so a reminder is due).

Each training and event title is given in all five languages, as a programme writing for its
mixed groups would: the main title in the site's language, the others as its translations."""

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

# Titles in (en, lv, sv, ru, uk).
TITLE_LANGUAGES = ("en", "lv", "sv", "ru", "uk")

# (site, category, titles, days ago (negative: still to come), minutes, trainer)
TRAINING = [
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     ("Latvian A1: at the hotel", "Latviešu valoda A1: viesnīcā", "Lettiska A1: på hotellet",
      "Латышский язык A1: в гостинице", "Латиська мова A1: у готелі"),
     27, 90, "Inese Ozola"),
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     ("Latvian A1: in the kitchen", "Latviešu valoda A1: virtuvē", "Lettiska A1: i köket",
      "Латышский язык A1: на кухне", "Латиська мова A1: на кухні"),
     13, 90, "Inese Ozola"),
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     ("Latvian A2: talking to guests", "Latviešu valoda A2: sarunas ar viesiem",
      "Lettiska A2: samtal med gäster", "Латышский язык A2: разговор с гостями",
      "Латиська мова A2: розмова з гостями"),
     6, 90, "Inese Ozola"),
    ("riga", TrainingCategory.CULTURE,
     ("Working life in Latvia", "Darba dzīve Latvijā", "Arbetsliv i Lettland",
      "Трудовая жизнь в Латвии", "Трудове життя в Латвії"),
     20, 120, "Pēteris Kalns"),
    ("riga", TrainingCategory.ENTREPRENEURSHIP,
     ("Your own café: from idea to plan", "Sava kafejnīca: no idejas līdz plānam",
      "Eget kafé: från idé till plan", "Своё кафе: от идеи до плана",
      "Власна кав’ярня: від ідеї до плану"),
     16, 180, "Pēteris Kalns"),
    ("riga", TrainingCategory.PROFESSIONAL_IDENTITY,
     ("My professional story", "Mans profesionālais stāsts", "Min yrkesberättelse",
      "Моя профессиональная история", "Моя професійна історія"),
     9, 120, "Anna Bērziņa"),
    ("riga", TrainingCategory.CAREER_SUPPORT,
     ("CV and job interview", "CV un darba intervija", "CV och anställningsintervju",
      "Резюме и собеседование", "Резюме і співбесіда"),
     3, 120, "Anna Bērziņa"),
    ("riga", TrainingCategory.LOCAL_LANGUAGE,
     ("Latvian A2: on the phone", "Latviešu valoda A2: pa telefonu", "Lettiska A2: i telefon",
      "Латышский язык A2: разговор по телефону", "Латиська мова A2: розмова телефоном"),
     -5, 90, "Inese Ozola"),
    ("linkoping", TrainingCategory.LOCAL_LANGUAGE,
     ("Swedish for hotel work", "Zviedru valoda darbam viesnīcā", "Svenska för hotellet",
      "Шведский язык для работы в гостинице", "Шведська мова для роботи в готелі"),
     20, 90, "Eva Berg"),
    ("linkoping", TrainingCategory.LOCAL_LANGUAGE,
     ("Swedish in the kitchen", "Zviedru valoda virtuvē", "Svenska i köket",
      "Шведский язык на кухне", "Шведська мова на кухні"),
     6, 90, "Eva Berg"),
    ("linkoping", TrainingCategory.CULTURE,
     ("Working life in Sweden", "Darba dzīve Zviedrijā", "Arbetsliv i Sverige",
      "Трудовая жизнь в Швеции", "Трудове життя у Швеції"),
     15, 120, "Lars Holm"),
    ("linkoping", TrainingCategory.ENTREPRENEURSHIP,
     ("Starting your own business", "Sava uzņēmuma dibināšana", "Starta eget företag",
      "Как открыть своё дело", "Як відкрити власну справу"),
     11, 120, "Lars Holm"),
    ("linkoping", TrainingCategory.PROFESSIONAL_IDENTITY,
     ("My first job in Sweden", "Mans pirmais darbs Zviedrijā", "Mitt första jobb i Sverige",
      "Моя первая работа в Швеции", "Моя перша робота у Швеції"),
     8, 60, "Eva Berg"),
    ("linkoping", TrainingCategory.CAREER_SUPPORT,
     ("CV and job interview", "CV un darba intervija", "CV och anställningsintervju",
      "Резюме и собеседование", "Резюме і співбесіда"),
     1, 90, "Lars Holm"),
    ("linkoping", TrainingCategory.LOCAL_LANGUAGE,
     ("Swedish at the reception desk", "Zviedru valoda recepcijā", "Svenska i receptionen",
      "Шведский язык на стойке регистрации", "Шведська мова на рецепції"),
     -6, 90, "Eva Berg"),
]  # fmt: skip

# Weekly language courses, so the hours delivered show against each site's plan:
# (site, titles with {n} for the lesson, lessons, first lesson days ago, minutes, trainer)
COURSES = [
    ("riga",
     ("Latvian A1–A2, lesson {n}", "Latviešu valoda A1–A2, {n}. nodarbība",
      "Lettiska A1–A2, lektion {n}", "Латышский язык A1–A2, занятие {n}",
      "Латиська мова A1–A2, заняття {n}"),
     12, 81, 120, "Inese Ozola"),
    ("linkoping",
     ("Swedish A1–A2, lesson {n}", "Zviedru valoda A1–A2, {n}. nodarbība",
      "Svenska A1–A2, lektion {n}", "Шведский язык A1–A2, занятие {n}",
      "Шведська мова A1–A2, заняття {n}"),
     10, 67, 120, "Eva Berg"),
]  # fmt: skip
COURSE_SESSIONS = [
    (slug, TrainingCategory.LOCAL_LANGUAGE, tuple(title.format(n=n) for title in titles),
     first - 7 * (n - 1), minutes, trainer)
    for slug, titles, lessons, first, minutes, trainer in COURSES
    for n in range(1, lessons + 1)
]  # fmt: skip

# (site, kind, titles, description, days ahead (negative: past), venue, guests)
EVENTS = [
    ("riga", EventKind.NETWORKING,
     ("Meet hotel managers", "Tikšanās ar viesnīcu vadītājiem", "Träffa hotellchefer",
      "Встреча с руководителями гостиниц", "Зустріч з керівниками готелів"),
     "Rīgas viesnīcu vadītāji stāsta, ko viņi sagaida no jauniem darbiniekiem.\n\n"
     "Managers of Riga's hotels tell what they expect of new staff.",
     -21, "Elizabetes iela 2, Rīga",
     ["priya@example.org", "artem@example.org", "kavya@example.org", "mentor.riga@example.org"]),
    ("riga", EventKind.CONFERENCE,
     ("Young people and work in hospitality", "Jaunieši un darbs viesmīlībā",
      "Unga och arbete inom besöksnäringen", "Молодёжь и работа в сфере гостеприимства",
      "Молодь і робота у сфері гостинності"),
     "Programmas gada konference.\n\nThe programme's yearly conference.",
     -10, "Kaļķu iela 7, Rīga",
     ["artem@example.org", "kavya@example.org", "hotel.riga@example.org"]),
    ("riga", EventKind.EXCURSION,
     ("Behind the scenes of a Riga hotel", "Rīgas viesnīca no iekšpuses",
      "Bakom kulisserna på ett hotell i Riga", "За кулисами рижской гостиницы",
      "За лаштунками ризького готелю"),
     "Ekskursija pa viesnīcu: virtuve, veļas mazgātava un recepcija.\n\n"
     "A tour of a hotel: the kitchen, the laundry and the reception.",
     1, "Brīvības iela 1, Rīga", ["priya@example.org", "artem@example.org"]),
    ("riga", EventKind.NETWORKING,
     ("Meet hospitality employers", "Tikšanās ar viesmīlības nozares darba devējiem",
      "Träffa arbetsgivare inom besöksnäringen",
      "Встреча с работодателями сферы гостеприимства",
      "Зустріч з роботодавцями сфери гостинності"),
     "Īsas sarunas ar darba devējiem.\n\nShort talks with employers.",
     16, "Elizabetes iela 2, Rīga", ["kavya@example.org"]),
    ("linkoping", EventKind.SEMINAR,
     ("Rights at work in Sweden", "Darbinieku tiesības Zviedrijā", "Rättigheter i arbetslivet",
      "Права работника в Швеции", "Права працівника у Швеції"),
     "Om anställningsavtal, lön och arbetstider.\n\n"
     "On employment contracts, pay and working hours.",
     -14, "Storgatan 1, Linköping",
     ["nimal@example.org", "mariia@example.org", "mentor.linkoping@example.org"]),
    ("linkoping", EventKind.SEMINAR,
     ("How a job interview works", "Kā notiek darba intervija",
      "Så går en anställningsintervju till", "Как проходит собеседование с работодателем",
      "Як проходить співбесіда з роботодавцем"),
     "Vi övar intervjun tillsammans.\n\nWe practise the interview together.",
     12, "Storgatan 1, Linköping", ["nimal@example.org", "mariia@example.org"]),
]  # fmt: skip


def _titles(site: Site, titles: tuple[str, ...]) -> dict:
    """The title in the site's language, and the other languages' titles as its translations."""
    by_language = dict(zip(TITLE_LANGUAGES, titles, strict=True))
    main = by_language.pop(site.default_locale)
    return {"title": main, "title_translations": by_language}


def _came(row: int, person: int) -> bool:
    """Most people come; now and then someone misses a session."""
    return (row + person) % 4 != 3


def _load_training(sites: dict[str, Site], coordinators: dict[str, User]) -> None:
    for row, (slug, category, titles, days_ago, minutes, trainer) in enumerate(
        COURSE_SESSIONS + TRAINING
    ):
        site = sites[slug]
        held_on = today_at(site) - timedelta(days=days_ago)
        session = training.create(
            coordinators[slug],
            site,
            dict(category=category, **_titles(site, titles), held_on=held_on, starts_at=time(10),
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


# Seminars and conferences are listed in the open data API; networking evenings and excursions
# are for the programme's own people.
PUBLIC_KINDS = {EventKind.SEMINAR, EventKind.CONFERENCE}


def _load_events(sites: dict[str, Site], coordinators: dict[str, User]) -> None:
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    for row, (slug, kind, titles, description, days_ahead, venue, guests) in enumerate(EVENTS):
        site = sites[slug]
        day = today_at(site) + timedelta(days=days_ahead)
        # Sign-ups close when an event is over: a past one is signed up for while it is to come.
        sign_up_day = max(day, today_at(site) + timedelta(days=1))
        start = at(site, sign_up_day, 15)
        event = events.create(
            coordinators[slug],
            site.id,
            dict(kind=kind, **_titles(site, titles), description=description, venue=venue,
                 starts_at=start, ends_at=start + timedelta(hours=2), capacity=20,
                 public=kind in PUBLIC_KINDS),
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
