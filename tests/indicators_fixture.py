"""A small programme whose indicators a person can work out on paper, for the first half of
2026 at Riga. Every number the tests expect is derived in the comments next to the rows.

Participants enrolled in the period (approved, registered in it): nine.
    Ukraine 6 (women 4, men 2), India 2 (men), Syria 1 (gender not given).
    Ages on 30 June 2026: 18-21: two, 22-25: four, 26-30: three.
    Seven agreed to share with funders; a Ukrainian man and the Syrian participant did not.
Not enrolled: one still in draft, one registered in December 2025, one at Linköping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from marketplace.accounts.models import ConsentRecord
from marketplace.accounts.roles import Role
from marketplace.applications.models import Application
from marketplace.events.models import Event, EventKind, Rsvp
from marketplace.extensions import db
from marketplace.participants.models import Gender, ParticipantProfile, WorkPermit
from marketplace.placements.models import MentoringSession, Outcome, Placement
from marketplace.plans.models import Plan, PlanGoal, PlanMeasure, PlanVersion
from marketplace.sites.models import SiteHoursPlan, TrainingCategory
from marketplace.training.models import Enrolment, TrainingSession
from tests.employer_helpers import make_organisation, make_posting

START, END = date(2026, 1, 1), date(2026, 6, 30)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


# (name, country, gender, born, registered, funder consent, status)
PEOPLE = [
    ("Olena", "UA", Gender.FEMALE, date(2005, 3, 1), date(2026, 1, 5), True, "approved"),  # 21
    ("Iryna", "UA", Gender.FEMALE, date(2003, 6, 1), date(2026, 1, 20), True, "approved"),  # 23
    ("Arjun", "IN", Gender.MALE, date(2000, 1, 1), date(2026, 1, 2), True, "approved"),  # 26
    ("Kateryna", "UA", Gender.FEMALE, date(2006, 6, 30), date(2026, 2, 1), True, "approved"),  # 20
    ("Oksana", "UA", Gender.FEMALE, date(2002, 7, 1), date(2026, 3, 1), True, "approved"),  # 23
    ("Taras", "UA", Gender.MALE, date(2001, 7, 1), date(2026, 4, 1), True, "approved"),  # 24
    ("Rohan", "IN", Gender.MALE, date(1999, 5, 5), date(2026, 5, 1), True, "approved"),  # 27
    ("Bohdan", "UA", Gender.MALE, date(2002, 1, 1), date(2026, 5, 2), False, "approved"),  # 24
    ("Sami", "SY", None, date(1997, 1, 1), date(2026, 6, 30), False, "approved"),  # 29
    # Not enrolled in the period:
    ("Draft", "UA", Gender.FEMALE, date(2003, 1, 1), date(2026, 2, 2), True, "draft"),
    ("Early", "UA", Gender.FEMALE, date(2003, 1, 1), date(2025, 12, 15), True, "approved"),
]


@dataclass
class Programme:
    site: object
    other_site: object
    coordinator: object
    profiles: dict


def build(app, make_user, make_site) -> Programme:
    riga = make_site("riga")
    linkoping = make_site("linkoping")
    coordinator = make_user(Role.COORDINATOR, display_name="Ilze")
    owner = make_user(Role.EMPLOYER_STAFF, display_name="Laura")
    organisation = make_organisation(app, owner, coordinator)
    posting = make_posting(app, organisation, owner, coordinator)
    profiles = {}
    for name, country, gender, born, registered, consent, status in PEOPLE:
        user = make_user(Role.PARTICIPANT, display_name=name)
        profiles[name] = _profile(user, riga, country, gender, born, registered, status)
        if consent:
            _consent(user, registered)
    elsewhere = make_user(Role.PARTICIPANT, site="linkoping", display_name="Nils")
    _profile(elsewhere, linkoping, "UA", Gender.MALE, date(2000, 1, 1), date(2026, 2, 1),
             "approved")  # fmt: skip
    _consent(elsewhere, date(2026, 2, 1))

    # Applications made in the period: eight; three approved (they became placements), four
    # submitted, one withdrawn. Two more fall outside: one before, one by the Linköping person.
    applications = {}
    statuses = {"Olena": "approved", "Iryna": "approved", "Arjun": "approved",
                "Kateryna": "submitted", "Oksana": "submitted", "Taras": "submitted",
                "Rohan": "submitted", "Bohdan": "withdrawn"}  # fmt: skip
    for name, status in statuses.items():
        applications[name] = _application(profiles[name], posting, status, date(2026, 1, 15))
    _application(profiles["Early"], posting, "submitted", date(2025, 12, 20))

    # Placements running in the period: three (active 1, completed 1, ended early 1), planned
    # mentoring 40 + 60 + 20 = 120 hours. A fourth starts after the period.
    p1 = _placement(applications["Olena"], posting, date(2026, 2, 1), date(2026, 4, 30),
                    "completed", 40, outcome=(Outcome.JOB_OFFER, date(2026, 5, 20)))  # fmt: skip
    p2 = _placement(applications["Iryna"], posting, date(2026, 3, 1), date(2026, 8, 31),
                    "active", 60)  # fmt: skip
    _placement(applications["Arjun"], posting, date(2026, 1, 10), date(2026, 4, 10),
                    "ended_early", 20, ended_on=date(2026, 2, 10),
                    outcome=(Outcome.HIRED, date(2026, 6, 1)))  # fmt: skip
    later = _application(profiles["Early"], make_posting(app, organisation, owner, coordinator),
                         "approved", date(2026, 7, 1))  # fmt: skip
    _placement(later, later.posting, date(2026, 7, 15), date(2026, 9, 30), "active", 30)

    # Mentoring in the period: logged (not disputed) 90 + 90 + 60 + 120 = 360 minutes = 6 hours;
    # confirmed 90 + 90 + 120 = 300 minutes = 5 hours, for two participants (Olena, Iryna).
    for placement, held_on, minutes, status in (
        (p1, date(2026, 2, 10), 90, "confirmed"),
        (p1, date(2026, 3, 10), 90, "confirmed"),
        (p1, date(2026, 4, 10), 60, "logged"),
        (p2, date(2026, 3, 15), 120, "confirmed"),
        (p2, date(2026, 3, 22), 30, "disputed"),
        (p2, date(2026, 7, 5), 60, "confirmed"),  # after the period
    ):
        db.session.add(MentoringSession(placement=placement, held_on=held_on, minutes=minutes,
                                        topic="Front desk", status=status))  # fmt: skip

    # Training: planned 200 (language) + 50 (culture) = 250 hours. Held in the period: language
    # 2 x 120 minutes = 4 hours, culture 90 minutes = 1.5 hours; 5.5 hours in all. Attended by
    # three participants (Olena, Iryna, Kateryna).
    db.session.add_all([
        SiteHoursPlan(site_id=riga.id, category=TrainingCategory.LOCAL_LANGUAGE, planned_hours=200),
        SiteHoursPlan(site_id=riga.id, category=TrainingCategory.CULTURE, planned_hours=50),
    ])  # fmt: skip
    language_1 = _training(riga, TrainingCategory.LOCAL_LANGUAGE, date(2026, 2, 3), 120)
    language_2 = _training(riga, TrainingCategory.LOCAL_LANGUAGE, date(2026, 2, 10), 120)
    culture = _training(riga, TrainingCategory.CULTURE, date(2026, 3, 3), 90)
    _training(riga, TrainingCategory.CULTURE, date(2026, 7, 3), 90)  # after the period
    for session, name, attended in (
        (language_1, "Olena", True), (language_2, "Olena", True), (language_1, "Iryna", True),
        (culture, "Kateryna", True), (culture, "Oksana", False),
    ):  # fmt: skip
        db.session.add(Enrolment(session=session, participant_id=profiles[name].id,
                                 attended=attended))  # fmt: skip

    # Events: two in the period. Four participants signed up (Olena, Iryna, Kateryna on the
    # first; Taras on the second), two attended the first (Olena, Iryna).
    seminar = _event(riga, at(date(2026, 3, 5), 14), hours=2)
    visit = _event(riga, at(date(2026, 5, 5), 14), hours=3)
    _event(riga, at(date(2026, 7, 5), 14), hours=1)  # after the period
    for event, name, attended in (
        (seminar, "Olena", True), (seminar, "Iryna", True), (seminar, "Kateryna", False),
        (visit, "Taras", False),
    ):  # fmt: skip
        db.session.add(Rsvp(event=event, user_id=profiles[name].user_id, attended=attended))

    # Olena's plan, agreed on 1 February: 10 hours of language and 20 of mentoring = 30 planned;
    # two goals, one reached. Received by 30 June: 4 hours of language training, 3 hours of
    # confirmed mentoring and the 2-hour seminar = 9 hours.
    plan = Plan(participant_id=profiles["Olena"].id)
    version = PlanVersion(plan=plan, number=1, status="agreed", proposed_at=at(date(2026, 1, 25)),
                          agreed_at=at(date(2026, 2, 1)))  # fmt: skip
    version.measures = [PlanMeasure(measure="local_language", planned_hours=10),
                        PlanMeasure(measure="workplace_mentoring", planned_hours=20)]  # fmt: skip
    version.goals = [
        PlanGoal(position=1, text="Greet guests in Latvian", target_date=date(2026, 3, 1),
                 reached_on=date(2026, 3, 1)),
        PlanGoal(position=2, text="Run a morning shift", target_date=date(2026, 9, 1)),
    ]  # fmt: skip
    db.session.add_all([plan, version])
    db.session.commit()
    return Programme(riga, linkoping, coordinator, profiles)


def _profile(user, site, country, gender, born, registered, status) -> ParticipantProfile:
    profile = ParticipantProfile(
        user=user, site_id=site.id, date_of_birth=born, gender=gender,
        country_of_origin=country, work_permit=WorkPermit.HAS_PERMIT, status=status,
        created_at=at(registered),
    )  # fmt: skip
    db.session.add(profile)
    db.session.flush()
    return profile


def _consent(user, given_on: date) -> None:
    db.session.add(ConsentRecord(user_id=user.id, kind="funder_sharing", version="1",
                                 given_at=at(given_on)))  # fmt: skip


def _application(profile, posting, status, made_on: date) -> Application:
    application = Application(participant_id=profile.id, posting_id=posting.id,
                              motivation="I would like to learn.", status=status,
                              created_at=at(made_on))  # fmt: skip
    db.session.add(application)
    db.session.flush()
    return application


def _placement(application, posting, start, end, status, planned, *, ended_on=None,
               outcome=None) -> Placement:  # fmt: skip
    placement = Placement(
        application_id=application.id, participant_id=application.participant_id,
        posting_id=posting.id, organisation_id=posting.organisation_id, site_id=posting.site_id,
        planned_hours=planned, start_date=start, end_date=end, status=status, ended_on=ended_on,
        outcome=outcome[0] if outcome else None, outcome_date=outcome[1] if outcome else None,
    )  # fmt: skip
    db.session.add(placement)
    db.session.flush()
    return placement


def _training(site, category, held_on: date, minutes: int) -> TrainingSession:
    session = TrainingSession(site_id=site.id, category=category, title="Group session",
                              held_on=held_on, starts_at=time(10), minutes=minutes,
                              trainer="Anna", capacity=20)  # fmt: skip
    db.session.add(session)
    return session


def _event(site, starts_at: datetime, hours: int) -> Event:
    event = Event(site_id=site.id, kind=EventKind.SEMINAR, title="Seminar", venue="Library",
                  starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                  capacity=30)  # fmt: skip
    db.session.add(event)
    return event
