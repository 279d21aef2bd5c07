"""Every indicator of a report, each computed by SQL aggregation in a fixed number of queries.

The figures describe a set of sites over a period of calendar days (both ends included). An
anonymous report counts only participants who agreed to share their data with funders (and says
how many it left out); suppression of small cells is applied afterwards, in suppression.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import ConsentRecord
from marketplace.applications.models import Application, ApplicationStatus
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.indicators.model import Figure, MonthPoint, Report, Section
from marketplace.indicators.sql import days_between, seconds_between, year_month
from marketplace.languages import country_name
from marketplace.participants.models import Gender, ParticipantProfile
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.participants.services import FUNDER_CONSENT
from marketplace.placements.models import (
    MentoringSession,
    Outcome,
    Placement,
    PlacementStatus,
    SessionStatus,
)
from marketplace.plans.models import Plan, PlanGoal, PlanMeasure, PlanVersion, VersionStatus
from marketplace.sites.models import SiteHoursPlan, TrainingCategory
from marketplace.statuses import status_label
from marketplace.training.models import Enrolment, TrainingSession

# Age at the end of the period; the programme takes people from 18 to 30.
AGE_BANDS = ((18, 21), (22, 25), (26, 30))
# Outcomes counted when they came within this many days of the placement's end.
OUTCOME_WINDOWS = ((3, 92), (6, 183), (12, 366))
GOOD_OUTCOMES = (Outcome.JOB_OFFER, Outcome.HIRED)


@dataclass(frozen=True)
class Scope:
    site_ids: list[int]
    start: date
    end: date
    zone: tzinfo = UTC
    anonymous: bool = False

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=self.zone).astimezone(UTC)

    @property
    def ends_before(self) -> datetime:
        next_day = self.end + timedelta(days=1)
        return datetime.combine(next_day, time.min, tzinfo=self.zone).astimezone(UTC)


def _consented_users() -> sa.Select:
    return sa.select(ConsentRecord.user_id).where(
        ConsentRecord.kind == FUNDER_CONSENT, ConsentRecord.withdrawn_at.is_(None)
    )


def _counted(scope: Scope):
    """The participants a report may count: the scope's sites, and consent when anonymous."""
    condition = ParticipantProfile.site_id.in_(scope.site_ids)
    if scope.anonymous:
        condition = sa.and_(condition, ParticipantProfile.user_id.in_(_consented_users()))
    return condition


def _enrolled(scope: Scope):
    return sa.and_(
        ParticipantProfile.site_id.in_(scope.site_ids),
        ParticipantProfile.status == ParticipantStatus.APPROVED,
        ParticipantProfile.created_at >= scope.starts_at,
        ParticipantProfile.created_at < scope.ends_before,
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _age_band(scope: Scope):
    """The age band at the end of the period, as a SQL CASE over the date of birth."""
    whens = [
        (
            sa.and_(
                ParticipantProfile.date_of_birth <= _years_before(scope.end, low),
                ParticipantProfile.date_of_birth > _years_before(scope.end, high + 1),
            ),
            f"{low}-{high}",
        )
        for low, high in AGE_BANDS
    ]
    return sa.case(*whens, else_="other")


def _participants(scope: Scope) -> tuple[Section, int]:
    """Participants enrolled: a profile approved and registered in the period."""
    enrolled = _enrolled(scope)
    counted = sa.and_(enrolled, _counted(scope))
    total, left_out = db.session.execute(
        sa.select(
            sa.func.count().filter(counted),
            sa.func.count().filter(sa.not_(counted)),
        ).where(enrolled)
    ).one()
    band = _age_band(scope).label("band")
    rows = db.session.execute(
        sa.select(
            ParticipantProfile.country_of_origin, ParticipantProfile.gender, band, sa.func.count()
        )
        .where(counted)
        .group_by(ParticipantProfile.country_of_origin, ParticipantProfile.gender, band)
    ).all()
    by_country: dict[str, int] = {}
    by_gender: dict[str, int] = {}
    by_band: dict[str, int] = {}
    for country, gender, age_band, count in rows:
        by_country[country] = by_country.get(country, 0) + count
        gender_key = gender.value if gender else "not_given"
        by_gender[gender_key] = by_gender.get(gender_key, 0) + count
        by_band[age_band] = by_band.get(age_band, 0) + count
    total_key = "participants.enrolled"
    link = ("participants.index", {"status": ParticipantStatus.APPROVED.value})
    figures = [Figure(total_key, _("Participants enrolled"), total, link=link)]
    for code, count in sorted(by_country.items(), key=lambda item: (-item[1], item[0])):
        figures.append(
            Figure(
                f"participants.country.{code}",
                _("From %(country)s", country=country_name(code)),
                count,
                group="country",
                total=total_key,
            )
        )
    for low, high in AGE_BANDS:
        figures.append(
            Figure(
                f"participants.age.{low}-{high}",
                _("Aged %(low)d to %(high)d", low=low, high=high),
                by_band.get(f"{low}-{high}", 0),
                group="age",
                total=total_key,
            )
        )
    if by_band.get("other"):
        figures.append(
            Figure(
                "participants.age.other",
                _("Another age"),
                by_band["other"],
                group="age",
                total=total_key,
            )
        )
    for gender in Gender:
        figures.append(
            Figure(
                f"participants.gender.{gender.value}",
                str(gender.label),
                by_gender.get(gender.value, 0),
                group="gender",
                total=total_key,
            )
        )
    figures.append(
        Figure(
            "participants.gender.not_given",
            _("Gender not given"),
            by_gender.get("not_given", 0),
            group="gender",
            total=total_key,
        )
    )
    return Section("participants", _("Participants"), figures), left_out


def _applications(scope: Scope) -> Section:
    rows = dict(
        db.session.execute(
            sa.select(Application.status, sa.func.count())
            .join(ParticipantProfile, ParticipantProfile.id == Application.participant_id)
            .where(
                _counted(scope),
                Application.created_at >= scope.starts_at,
                Application.created_at < scope.ends_before,
            )
            .group_by(Application.status)
        ).all()
    )
    total_key = "applications.total"
    figures = [Figure(total_key, _("Applications made"), sum(rows.values()))]
    figures += _by_status("application", ApplicationStatus, rows, total_key)
    return Section("applications", _("Applications"), figures)


def _by_status(entity: str, statuses, counts: dict, total_key: str) -> list[Figure]:
    """A count per status, a distribution of the total: every status, zero where none."""
    return [
        Figure(
            f"{entity}s.{status.value}",
            str(status_label(entity, status.value)),
            counts.get(status.value, 0),
            group=f"{entity}s",
            total=total_key,
        )
        for status in statuses
    ]


def _placements_in_period(scope: Scope):
    """Placements that ran for at least a day of the period."""
    last_day = sa.func.coalesce(Placement.ended_on, Placement.end_date, scope.end)
    return sa.and_(
        Placement.site_id.in_(scope.site_ids),
        Placement.start_date <= scope.end,
        last_day >= scope.start,
    )


def _placed(scope: Scope):
    return Placement.participant_id.in_(sa.select(ParticipantProfile.id).where(_counted(scope)))


def _placements(scope: Scope) -> Section:
    rows = dict(
        db.session.execute(
            sa.select(Placement.status, sa.func.count())
            .where(_placements_in_period(scope), _placed(scope))
            .group_by(Placement.status)
        ).all()
    )
    total_key = "placements.total"
    figures = [
        Figure(
            total_key,
            _("Placements in the period"),
            sum(rows.values()),
            link=("placements.index", {}),
        )
    ]
    figures += _by_status("placement", PlacementStatus, rows, total_key)
    return Section("placements", _("Placements"), figures)


def _mentoring(scope: Scope) -> Section:
    in_period = sa.and_(
        MentoringSession.held_on >= scope.start, MentoringSession.held_on <= scope.end
    )
    confirmed = MentoringSession.status == SessionStatus.CONFIRMED
    logged_minutes, confirmed_minutes, mentored = db.session.execute(
        sa.select(
            sa.func.coalesce(
                sa.func.sum(MentoringSession.minutes).filter(
                    MentoringSession.status != SessionStatus.DISPUTED
                ),
                0,
            ),
            sa.func.coalesce(sa.func.sum(MentoringSession.minutes).filter(confirmed), 0),
            sa.func.count(sa.distinct(Placement.participant_id)).filter(confirmed),
        )
        .join(Placement)
        .where(Placement.site_id.in_(scope.site_ids), _placed(scope), in_period)
    ).one()
    planned = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Placement.planned_hours), 0)).where(
            _placements_in_period(scope), _placed(scope)
        )
    )
    return Section(
        "mentoring",
        _("Workplace mentoring"),
        [
            Figure(
                "mentoring.hours_logged",
                _("Hours logged"),
                round(logged_minutes / 60, 1),
                people=False,
            ),
            Figure(
                "mentoring.hours_confirmed",
                _("Hours confirmed by participants"),
                round(confirmed_minutes / 60, 1),
                planned=planned,
                people=False,
            ),
            Figure("mentoring.participants", _("Participants mentored"), mentored),
        ],
    )


def _plans(scope: Scope) -> Section:
    """Individual plans in force at the end of the period: hours planned against hours received
    (training attended, confirmed mentoring, events attended), and goals reached."""
    agreed_by_end = sa.and_(
        PlanVersion.status == VersionStatus.AGREED, PlanVersion.agreed_at < scope.ends_before
    )
    in_force = (
        sa.select(sa.func.max(PlanVersion.id).label("version_id"), Plan.participant_id)
        .join(Plan)
        .join(ParticipantProfile, ParticipantProfile.id == Plan.participant_id)
        .where(agreed_by_end, _counted(scope))
        .group_by(Plan.participant_id)
        .subquery()
    )
    with_plan, planned = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(in_force.c.participant_id)),
            sa.func.coalesce(sa.func.sum(PlanMeasure.planned_hours), 0),
        )
        .select_from(in_force)
        .outerjoin(PlanMeasure, PlanMeasure.version_id == in_force.c.version_id)
    ).one()
    goals, reached = db.session.execute(
        sa.select(
            sa.func.count(PlanGoal.id),
            sa.func.count(PlanGoal.id).filter(PlanGoal.reached_on <= scope.end),
        ).join(in_force, PlanGoal.version_id == in_force.c.version_id)
    ).one()
    participants = sa.select(in_force.c.participant_id)
    training = (
        sa.select(sa.func.coalesce(sa.func.sum(TrainingSession.minutes), 0) * 60.0)
        .join(Enrolment)
        .where(
            Enrolment.participant_id.in_(participants),
            Enrolment.attended.is_(True),
            TrainingSession.held_on <= scope.end,
        )
        .scalar_subquery()
    )
    mentoring = (
        sa.select(sa.func.coalesce(sa.func.sum(MentoringSession.minutes), 0) * 60.0)
        .join(Placement)
        .where(
            Placement.participant_id.in_(participants),
            MentoringSession.status == SessionStatus.CONFIRMED,
            MentoringSession.held_on <= scope.end,
        )
        .scalar_subquery()
    )
    events = (
        sa.select(sa.func.coalesce(sa.func.sum(seconds_between(Event.ends_at, Event.starts_at)), 0))
        .join(Rsvp)
        .join(ParticipantProfile, ParticipantProfile.user_id == Rsvp.user_id)
        .where(
            ParticipantProfile.id.in_(participants),
            Rsvp.attended.is_(True),
            Event.starts_at < scope.ends_before,
        )
        .scalar_subquery()
    )
    received_seconds = db.session.scalar(sa.select(training + mentoring + events))
    return Section(
        "plans",
        _("Individual plans"),
        [
            Figure("plans.participants", _("Participants with an agreed plan"), with_plan),
            Figure(
                "plans.hours",
                _("Hours received against the plans"),
                round((received_seconds or 0) / 3600, 1),
                planned=planned,
                people=False,
            ),
            Figure("plans.goals_reached", _("Goals reached"), reached, planned=goals, people=False),
        ],
    )


def _training(scope: Scope) -> Section:
    held = sa.and_(
        TrainingSession.site_id.in_(scope.site_ids),
        TrainingSession.held_on >= scope.start,
        TrainingSession.held_on <= scope.end,
    )
    delivered = dict(
        db.session.execute(
            sa.select(TrainingSession.category, sa.func.sum(TrainingSession.minutes))
            .where(held)
            .group_by(TrainingSession.category)
        ).all()
    )
    planned = dict(
        db.session.execute(
            sa.select(SiteHoursPlan.category, sa.func.sum(SiteHoursPlan.planned_hours))
            .where(SiteHoursPlan.site_id.in_(scope.site_ids))
            .group_by(SiteHoursPlan.category)
        ).all()
    )
    attendees = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Enrolment.participant_id)))
        .join(TrainingSession)
        .join(ParticipantProfile, ParticipantProfile.id == Enrolment.participant_id)
        .where(held, Enrolment.attended.is_(True), _counted(scope))
    )
    figures = [
        Figure(
            f"training.{category.value}",
            str(category.label),
            round((delivered.get(category) or 0) / 60, 1),
            planned=planned.get(category) or 0,
            people=False,
            link=("training.index", {}),
        )
        for category in TrainingCategory
    ]
    figures.insert(
        0,
        Figure(
            "training.total",
            _("Training hours delivered"),
            round(sum(v or 0 for v in delivered.values()) / 60, 1),
            planned=sum(v or 0 for v in planned.values()),
            people=False,
        ),
    )
    figures.append(Figure("training.participants", _("Participants who attended"), attendees))
    return Section("training", _("Training hours"), figures)


def _events(scope: Scope) -> Section:
    in_period = sa.and_(
        Event.site_id.in_(scope.site_ids),
        Event.starts_at >= scope.starts_at,
        Event.starts_at < scope.ends_before,
    )
    held = db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(in_period))
    signed_up, attended = db.session.execute(
        sa.select(
            sa.func.count(sa.distinct(Rsvp.user_id)),
            sa.func.count(sa.distinct(Rsvp.user_id)).filter(Rsvp.attended.is_(True)),
        )
        .join(Event)
        .join(ParticipantProfile, ParticipantProfile.user_id == Rsvp.user_id)
        .where(in_period, _counted(scope))
    ).one()
    return Section(
        "events",
        _("Events"),
        [
            Figure("events.held", _("Events held"), held, people=False, link=("events.index", {})),
            Figure("events.participants_signed_up", _("Participants who signed up"), signed_up),
            Figure("events.participants_attended", _("Participants who attended"), attended),
        ],
    )


def _outcomes(scope: Scope) -> Section:
    in_period = sa.and_(
        Placement.site_id.in_(scope.site_ids),
        _placed(scope),
        Placement.outcome_date >= scope.start,
        Placement.outcome_date <= scope.end,
    )
    ended = sa.func.coalesce(Placement.ended_on, Placement.end_date)
    after_end = days_between(Placement.outcome_date, ended)
    good = Placement.outcome.in_(GOOD_OUTCOMES)
    columns = [
        sa.func.count().filter(Placement.outcome == outcome)
        for outcome in Outcome
        if outcome is not Outcome.NONE
    ] + [
        sa.func.count().filter(good, ended.is_not(None), after_end <= days)
        for _months, days in OUTCOME_WINDOWS
    ]
    counts = db.session.execute(sa.select(*columns).where(in_period)).one()
    outcomes = [o for o in Outcome if o is not Outcome.NONE]
    figures = [
        Figure(f"outcomes.{outcome.value}", str(outcome.label), count)
        for outcome, count in zip(outcomes, counts, strict=False)
    ]
    figures += [
        Figure(
            f"outcomes.within_{months}_months",
            _("Job offer or hire within %(months)d months of the placement's end", months=months),
            count,
            chain="outcome_windows",
        )
        for (months, _days), count in zip(OUTCOME_WINDOWS, counts[len(outcomes) :], strict=True)
    ]
    figures.append(_time_to_first_placement(scope))
    return Section("outcomes", _("Outcomes"), figures)


def _time_to_first_placement(scope: Scope) -> Figure:
    """Median days from registration to the first placement's start, over the participants whose
    first placement started in the period. The median is taken with window functions so that
    both databases compute it the same way."""
    first = (
        sa.select(
            Placement.participant_id,
            sa.func.min(Placement.start_date).label("first_start"),
        )
        .where(_placed(scope))
        .group_by(Placement.participant_id)
        .subquery()
    )
    days = days_between(first.c.first_start, ParticipantProfile.created_at)
    ranked = (
        sa.select(
            days.label("days"),
            sa.func.row_number().over(order_by=days).label("position"),
            sa.func.count().over().label("people"),
        )
        .join(first, first.c.participant_id == ParticipantProfile.id)
        .where(first.c.first_start >= scope.start, first.c.first_start <= scope.end)
        .subquery()
    )
    middle = sa.or_(
        ranked.c.position == (ranked.c.people + 1) / 2,
        ranked.c.position == (ranked.c.people + 2) / 2,
    )
    median, people = db.session.execute(
        sa.select(sa.func.avg(ranked.c.days), sa.func.max(ranked.c.people)).where(middle)
    ).one()
    return Figure(
        "outcomes.median_days_to_first_placement",
        _("Median days from registration to the first placement"),
        round(float(median), 1) if median is not None else None,
        people=False,
        basis=people or 0,
    )


def _months(scope: Scope) -> list[MonthPoint]:
    """Placements started and good outcomes per month of the period, for the chart over time."""
    started = dict(
        db.session.execute(
            sa.select(year_month(Placement.start_date), sa.func.count())
            .where(
                Placement.site_id.in_(scope.site_ids),
                _placed(scope),
                Placement.start_date >= scope.start,
                Placement.start_date <= scope.end,
            )
            .group_by(year_month(Placement.start_date))
        ).all()
    )
    outcomes = dict(
        db.session.execute(
            sa.select(year_month(Placement.outcome_date), sa.func.count())
            .where(
                Placement.site_id.in_(scope.site_ids),
                _placed(scope),
                Placement.outcome.in_(GOOD_OUTCOMES),
                Placement.outcome_date >= scope.start,
                Placement.outcome_date <= scope.end,
            )
            .group_by(year_month(Placement.outcome_date))
        ).all()
    )
    points = []
    year, month = scope.start.year, scope.start.month
    while (year, month) <= (scope.end.year, scope.end.month):
        key = f"{year:04d}-{month:02d}"
        points.append(MonthPoint(key, started.get(key, 0), outcomes.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return points


def build(scope: Scope, site_names: list[str], now: datetime) -> Report:
    participants, left_out = _participants(scope)
    return Report(
        site_names=site_names,
        start=scope.start,
        end=scope.end,
        generated_at=now,
        sections=[
            participants,
            _applications(scope),
            _placements(scope),
            _mentoring(scope),
            _plans(scope),
            _training(scope),
            _events(scope),
            _outcomes(scope),
        ],
        months=_months(scope),
        anonymous=scope.anonymous,
        left_out=left_out if scope.anonymous else 0,
    )
