"""Mentor profiles, their review, availability, capacity and the search for free mentors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.i18n import format_date, format_time
from marketplace.languages import CefrLevel
from marketplace.links import path_for
from marketplace.mentors.models import (
    AvailabilityWindow,
    Expertise,
    MentorExpertise,
    MentorLanguage,
    MentorProfile,
    Unavailability,
)
from marketplace.mentors.models import ProfileStatus as Status
from marketplace.notifications.services import notify
from marketplace.organisations.models import Organisation
from marketplace.organisations.services import coordinators_of, is_site_coordinator, owners_of
from marketplace.problems import NotAllowed, Problem, WrongStatus
from marketplace.search import text_matches
from marketplace.workflow.services import Step, Workflow


def relations(user: User, profile: MentorProfile) -> set[str]:
    """The mentor owns their profile; the coordinators of its site review it."""
    found = set()
    if profile.user_id == user.id:
        found.add("owner")
    if is_site_coordinator(user, profile.site_id):
        found.add("coordinator")
    return found


WORKFLOW = Workflow(
    "mentor",
    [
        Step.of("start", [None], Status.DRAFT, {"owner"}),
        Step.of("submit", [Status.DRAFT, Status.CHANGES_REQUESTED], Status.SUBMITTED, {"owner"}),
        # Changing an approved profile sends it back for review, as with postings.
        Step.of("resubmit", [Status.APPROVED], Status.SUBMITTED, {"owner"}),
        Step.of("approve", [Status.SUBMITTED], Status.APPROVED, {"coordinator"}),
        Step.of("request_changes", [Status.SUBMITTED], Status.CHANGES_REQUESTED, {"coordinator"}),
        Step.of("reject", [Status.SUBMITTED], Status.REJECTED, {"coordinator"}),
    ],
    relations,
)
REVIEW_STEPS = {
    Status.APPROVED: "approve",
    Status.CHANGES_REQUESTED: "request_changes",
    Status.REJECTED: "reject",
}
EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED, Status.SUBMITTED, Status.APPROVED}
COMMENTED = {Status.CHANGES_REQUESTED, Status.REJECTED}


def review_comment(profile: MentorProfile) -> str:
    """The coordinator's comment, while it still tells the mentor what to change."""
    return profile.review_comment if profile.status in COMMENTED else ""


def profile_of(user: User) -> MentorProfile | None:
    return db.session.scalar(sa.select(MentorProfile).where(MentorProfile.user_id == user.id))


def can_view(user, profile: MentorProfile) -> bool:
    """The mentor, coordinators and employer staff of the site, and a participant once an offer
    to them names this mentor."""
    if not user.is_authenticated:
        return False
    if user.id == profile.user_id or is_site_coordinator(user, profile.site_id):
        return True
    if profile.site_id in user.sites_for(Role.EMPLOYER_STAFF):
        return True
    # Imported here: applications build on mentors, not the other way round.
    from marketplace.applications.models import Application
    from marketplace.participants.models import ParticipantProfile

    return bool(
        db.session.scalar(
            sa.select(Application.id)
            .join(ParticipantProfile)
            .where(Application.mentor_id == profile.id, ParticipantProfile.user_id == user.id)
            .limit(1)
        )
    )


# The profile --------------------------------------------------------------------------------


def start_profile(user: User) -> MentorProfile:
    profile = MentorProfile(user=user, user_id=user.id, site_id=user.site_id, status=None)
    db.session.add(profile)
    WORKFLOW.take(user, profile, "start", site_id=user.site_id)
    return profile


def save_profile(
    user: User,
    *,
    bio: str,
    max_mentees: int,
    expertise: list[Expertise],
    languages: list[tuple[str, CefrLevel]],
    organisation: Organisation | None,
) -> MentorProfile:
    """Create or change the user's own profile; a changed approved profile goes back to review."""
    profile = profile_of(user) or start_profile(user)
    if profile.status not in EDITABLE:
        raise WrongStatus(profile.status)
    if max_mentees < profile.active_mentees:
        raise Problem(
            _(
                "You have %(num)s mentees now, so the maximum cannot be lower.",
                num=profile.active_mentees,
            )
        )
    profile.bio, profile.max_mentees = bio.strip(), max_mentees
    wanted = set(expertise)
    profile.expertise = [e for e in profile.expertise if e.area in wanted] + [
        MentorExpertise(area=area) for area in wanted - {e.area for e in profile.expertise}
    ]
    # Rows are kept and changed in place: replacing them would insert before deleting and trip
    # the unique (profile, language) constraint.
    levels = dict(languages)
    for spoken in list(profile.languages):
        if spoken.language in levels:
            spoken.level = levels.pop(spoken.language)
        else:
            profile.languages.remove(spoken)
    profile.languages.extend(MentorLanguage(language=c, level=lv) for c, lv in levels.items())
    if (organisation.id if organisation else None) != profile.organisation_id:
        profile.organisation = organisation
        profile.organisation_confirmed = False
        if organisation is not None:
            db.session.flush()
            notify(
                owners_of(organisation),
                lambda: _(
                    "%(person)s says they mentor for %(name)s. Please confirm.",
                    person=user.display_name,
                    name=organisation.name,
                ),
                link=path_for("organisations.manage", organisation_id=organisation.id),
            )
    if WORKFLOW.may(user, profile, "resubmit"):
        WORKFLOW.take(user, profile, "resubmit", site_id=profile.site_id)
        _tell_coordinators(profile)
    db.session.commit()
    return profile


def submit(user: User, profile: MentorProfile) -> None:
    WORKFLOW.check(user, profile, "submit")
    if not profile.expertise or not profile.languages:
        raise Problem(_("Please choose at least one area and one language first."))
    WORKFLOW.take(user, profile, "submit", site_id=profile.site_id)
    _tell_coordinators(profile)
    db.session.commit()


def _tell_coordinators(profile: MentorProfile) -> None:
    notify(
        coordinators_of(profile.site_id),
        lambda: _(
            "A mentor profile waits for your review: %(name)s", name=profile.user.display_name
        ),
        link=path_for("mentors.show", profile_id=profile.id),
    )


def review(actor: User, profile: MentorProfile, target: Status, comment: str = "") -> None:
    """A coordinator approves, requests changes or rejects; approval makes the person a mentor."""
    step = REVIEW_STEPS[target]
    WORKFLOW.check(actor, profile, step)
    if target in COMMENTED and not comment.strip():
        raise Problem(_("Please write a comment for the mentor."))
    WORKFLOW.take(actor, profile, step, site_id=profile.site_id, reason=comment)
    profile.review_comment = comment.strip()
    if target == Status.APPROVED and Role.MENTOR not in profile.user.roles:
        profile.user.role_grants.append(RoleGrant(role=Role.MENTOR, site_id=profile.site_id))
        audit.record(
            "role.granted", actor=actor, obj=profile.user, site_id=profile.site_id, summary="mentor"
        )
    messages = {
        Status.APPROVED: lambda: _("Your mentor profile is approved."),
        Status.CHANGES_REQUESTED: lambda: _(
            "Changes are requested in your mentor profile. Comment: %(comment)s", comment=comment
        ),
        Status.REJECTED: lambda: _(
            "Your mentor profile was not approved. Comment: %(comment)s", comment=comment
        ),
    }
    notify([profile.user], messages[target], link=path_for("mentors.mine"))
    db.session.commit()


def confirm_organisation(actor: User, profile: MentorProfile) -> None:
    if profile.organisation is None or not profile.organisation.is_owner(actor):
        raise NotAllowed
    profile.organisation_confirmed = True
    audit.record(
        "mentor.organisation_confirmed",
        actor=actor,
        obj=profile,
        site_id=profile.site_id,
        summary=profile.organisation.name,
    )
    notify(
        [profile.user],
        lambda: _("%(name)s confirmed that you mentor for them.", name=profile.organisation.name),
        link=path_for("mentors.mine"),
    )
    db.session.commit()


def set_paused(user: User, profile: MentorProfile, paused: bool) -> None:
    if profile.user_id != user.id:
        raise NotAllowed
    profile.paused = paused
    audit.record(
        "mentor.paused" if paused else "mentor.resumed",
        actor=user,
        obj=profile,
        site_id=profile.site_id,
    )
    db.session.commit()


def mentors_to_confirm(organisation: Organisation) -> list[MentorProfile]:
    return list(
        db.session.scalars(
            sa.select(MentorProfile).where(
                MentorProfile.organisation_id == organisation.id,
                MentorProfile.organisation_confirmed.is_(False),
            )
        )
    )


# Availability -----------------------------------------------------------------------------------


def describe_window(window: AvailabilityWindow) -> str:
    return _(
        "%(weekday)s %(start)s–%(end)s, %(first)s – %(last)s",
        weekday=weekday_name(window.weekday),
        start=format_time(window.start_time, "short"),
        end=format_time(window.end_time, "short"),
        first=format_date(window.valid_from, "medium"),
        last=format_date(window.valid_until, "medium"),
    )


def weekday_name(weekday: int) -> str:
    # 2024-01-01 was a Monday; Babel names the day in the reader's language.
    return format_date(date(2024, 1, 1) + timedelta(days=weekday), "EEEE").capitalize()


def _overlaps(a: AvailabilityWindow, b: AvailabilityWindow) -> bool:
    return (
        a.weekday == b.weekday
        and a.start_time < b.end_time
        and b.start_time < a.end_time
        and a.valid_from <= b.valid_until
        and b.valid_from <= a.valid_until
    )


def add_window(
    user: User,
    profile: MentorProfile,
    weekday: int,
    start: time,
    end: time,
    valid_from: date,
    valid_until: date,
) -> AvailabilityWindow:
    """Add a weekly window; refuses one that overlaps another, naming it."""
    if profile.user_id != user.id:
        raise NotAllowed
    window = AvailabilityWindow(
        weekday=weekday,
        start_time=start,
        end_time=end,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    for existing in profile.windows:
        if _overlaps(existing, window):
            raise Problem(
                _("This overlaps your window %(window)s.", window=describe_window(existing))
            )
    profile.windows.append(window)
    db.session.commit()
    return window


def remove_window(user: User, window: AvailabilityWindow) -> None:
    profile = db.session.get(MentorProfile, window.profile_id)
    if profile.user_id != user.id:
        raise NotAllowed
    db.session.delete(window)
    db.session.commit()


def add_unavailability(
    user: User, profile: MentorProfile, starts_on: date, ends_on: date, note: str
) -> None:
    if profile.user_id != user.id:
        raise NotAllowed
    profile.unavailable.append(Unavailability(starts_on=starts_on, ends_on=ends_on, note=note))
    db.session.commit()


def remove_unavailability(user: User, period: Unavailability) -> None:
    profile = db.session.get(MentorProfile, period.profile_id)
    if profile.user_id != user.id:
        raise NotAllowed
    db.session.delete(period)
    db.session.commit()


def occurs_on(window: AvailabilityWindow, day: date, away: list[Unavailability]) -> bool:
    return (
        day.weekday() == window.weekday
        and window.valid_from <= day <= window.valid_until
        and not any(p.starts_on <= day <= p.ends_on for p in away)
    )


def in_zone(day: date, wall_clock: time, site_zone: ZoneInfo, viewer_zone: ZoneInfo) -> datetime:
    """A wall-clock time at the mentor's site on ``day``, as seen by someone in another zone."""
    return datetime.combine(day, wall_clock, tzinfo=site_zone).astimezone(viewer_zone)


@dataclass
class Slot:
    day: date
    window: AvailabilityWindow
    starts: datetime  # in the viewer's zone
    ends: datetime


def week_slots(profile: MentorProfile, monday: date, viewer_zone: ZoneInfo) -> list[Slot]:
    slots = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        for window in profile.windows:
            if occurs_on(window, day, profile.unavailable):
                zone = profile.site.zone
                slots.append(
                    Slot(
                        day,
                        window,
                        in_zone(day, window.start_time, zone, viewer_zone),
                        in_zone(day, window.end_time, zone, viewer_zone),
                    )
                )
    return slots


def next_slot(
    profile: MentorProfile,
    viewer_zone: ZoneInfo,
    now: datetime | None = None,
    horizon_days: int = 120,
) -> Slot | None:
    """The next time the mentor can meet, from now, within ``horizon_days``."""
    now = now or datetime.now(UTC)
    today = now.astimezone(profile.site.zone).date()
    for offset in range(horizon_days):
        day = today + timedelta(days=offset)
        for window in profile.windows:
            if occurs_on(window, day, profile.unavailable):
                zone = profile.site.zone
                starts = in_zone(day, window.start_time, zone, viewer_zone)
                if starts > now:
                    return Slot(
                        day, window, starts, in_zone(day, window.end_time, zone, viewer_zone)
                    )
    return None


# Search -----------------------------------------------------------------------------------------


@dataclass
class MentorFilters:
    expertise: Expertise | None = None
    language: str = ""
    min_level: CefrLevel | None = None
    organisation: str = ""  # words of the organisation's name or city
    week_of: date | None = None
    free_only: bool = False


def available_in_week(monday: date):
    """SQL: the mentor has a window on some day of the week starting ``monday`` that is not a
    day away. Seven dated conditions, answered by the database with its indexes."""
    conditions = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        away = (
            sa.select(Unavailability.id)
            .where(
                Unavailability.profile_id == AvailabilityWindow.profile_id,
                Unavailability.starts_on <= day,
                Unavailability.ends_on >= day,
            )
            .exists()
        )
        conditions.append(
            sa.and_(
                AvailabilityWindow.weekday == offset,
                AvailabilityWindow.valid_from <= day,
                AvailabilityWindow.valid_until >= day,
                ~away,
            )
        )
    return (
        sa.select(AvailabilityWindow.id)
        .where(AvailabilityWindow.profile_id == MentorProfile.id, sa.or_(*conditions))
        .exists()
    )


def search(site_ids: set[int] | None, filters: MentorFilters) -> sa.Select:
    query = sa.select(MentorProfile).where(MentorProfile.status == Status.APPROVED)
    if site_ids is not None:
        query = query.where(MentorProfile.site_id.in_(site_ids))
    if filters.expertise:
        query = query.where(
            MentorProfile.id.in_(
                sa.select(MentorExpertise.profile_id).where(
                    MentorExpertise.area == filters.expertise
                )
            )
        )
    if filters.language:
        levels = [
            level
            for level in CefrLevel
            if filters.min_level is None or level.rank >= filters.min_level.rank
        ]
        query = query.where(
            MentorProfile.id.in_(
                sa.select(MentorLanguage.profile_id).where(
                    MentorLanguage.language == filters.language, MentorLanguage.level.in_(levels)
                )
            )
        )
    if filters.organisation.strip():
        query = query.where(
            MentorProfile.organisation_id.in_(
                sa.select(Organisation.id).where(text_matches(Organisation, filters.organisation))
            ),
            MentorProfile.organisation_confirmed.is_(True),
        )
    if filters.free_only:
        query = query.where(
            MentorProfile.paused.is_(False),
            MentorProfile.active_mentees < MentorProfile.max_mentees,
        )
    if filters.week_of:
        monday = filters.week_of - timedelta(days=filters.week_of.weekday())
        query = query.where(available_in_week(monday))
    return query.order_by(MentorProfile.id).options(
        sa.orm.selectinload(MentorProfile.expertise),
        sa.orm.selectinload(MentorProfile.languages),
        sa.orm.selectinload(MentorProfile.windows),
        sa.orm.selectinload(MentorProfile.unavailable),
        sa.orm.joinedload(MentorProfile.organisation),
    )


def submitted_for_review(site_ids: set[int] | None) -> sa.Select:
    query = sa.select(MentorProfile).where(MentorProfile.status == Status.SUBMITTED)
    if site_ids is not None:
        query = query.where(MentorProfile.site_id.in_(site_ids))
    return query.order_by(MentorProfile.updated_at, MentorProfile.id)
