"""Which reminders are due, and sending each at most once (a row per reminder, unique)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.applications.models import Application, ApplicationStatus
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.i18n import format_date
from marketplace.links import path_for
from marketplace.mentors.models import MentorProfile
from marketplace.mentors.models import ProfileStatus as MentorStatus
from marketplace.notifications.services import notify
from marketplace.organisations.models import Organisation, OrganisationStatus
from marketplace.participants.models import ParticipantProfile, WorkPermit
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.placements.models import (
    MentoringSession,
    Placement,
    PlacementStatus,
    SessionStatus,
)
from marketplace.postings.models import Posting, PostingStatus
from marketplace.reminders.models import ReminderLog
from marketplace.sites.clock import today_at

MENTOR_IDLE = timedelta(days=14)
UNCONFIRMED = timedelta(days=7)
PROFILE_INCOMPLETE = timedelta(days=14)
QUEUE_WAITING = timedelta(days=7)
PERMIT_WARNING = timedelta(days=30)

Due = tuple[User, str, str, Callable[[], str], str]  # user, kind, key, message, link


def _mentor_idle(now: datetime) -> Iterator[Due]:
    placements = db.session.scalars(
        sa.select(Placement).where(
            Placement.status == PlacementStatus.ACTIVE, Placement.mentor_id.is_not(None)
        )
    )
    for placement in placements:
        last = max([s.held_on for s in placement.sessions], default=placement.start_date)
        today = today_at(placement.posting.site, now)  # session dates are the site's dates
        if today - last >= MENTOR_IDLE and placement.start_date <= today:
            yield (
                placement.mentor.user,
                "mentor_idle",
                f"{placement.id}:{last.isoformat()}",
                lambda p=placement: _(
                    "No mentoring session has been logged for two weeks "
                    "with %(name)s. Please log your meetings.",
                    name=p.participant.user.display_name,
                ),
                path_for("placements.show", placement_id=placement.id),
            )


def _unconfirmed(now: datetime) -> Iterator[Due]:
    sessions = db.session.scalars(
        sa.select(MentoringSession).where(
            MentoringSession.status == SessionStatus.LOGGED,
            MentoringSession.created_at <= now - UNCONFIRMED,
        )
    )
    for session in sessions:
        yield (
            session.placement.participant.user,
            "session_unconfirmed",
            str(session.id),
            lambda: _("Your mentor logged a session more than a week ago. Please confirm it."),
            path_for("placements.show", placement_id=session.placement_id),
        )


def _profile_incomplete(now: datetime) -> Iterator[Due]:
    people = db.session.scalars(
        sa.select(User)
        .join(RoleGrant)
        .where(
            RoleGrant.role == Role.PARTICIPANT,
            User.active.is_(True),
            User.created_at <= now - PROFILE_INCOMPLETE,
            ~sa.exists().where(
                ParticipantProfile.user_id == User.id,
                ParticipantProfile.status != ParticipantStatus.DRAFT,
            ),
        )
    )
    for person in people:
        yield (
            person,
            "profile_incomplete",
            str(person.id),
            lambda: _("Your profile is not finished yet. Complete it to take part."),
            path_for("participants.mine"),
        )


def _queue_waiting(now: datetime) -> Iterator[Due]:
    old = now - QUEUE_WAITING
    waiting: dict[int, int] = {}
    for model, status, column in (
        (Organisation, OrganisationStatus.PENDING, Organisation.status_changed_at),
        (Posting, PostingStatus.SUBMITTED, Posting.updated_at),
        (MentorProfile, MentorStatus.SUBMITTED, MentorProfile.updated_at),
        (ParticipantProfile, ParticipantStatus.SUBMITTED, ParticipantProfile.updated_at),
    ):
        for site_id, count in db.session.execute(
            sa.select(model.site_id, sa.func.count())
            .where(model.status == status, column <= old)
            .group_by(model.site_id)
        ):
            waiting[site_id] = waiting.get(site_id, 0) + count
    for site_id, count in waiting.items():
        coordinators = db.session.scalars(
            sa.select(User)
            .join(RoleGrant)
            .where(
                RoleGrant.role == Role.COORDINATOR,
                RoleGrant.site_id == site_id,
                User.active.is_(True),
            )
        )
        for coordinator in coordinators:
            yield (
                coordinator,
                "queue_waiting",
                f"{site_id}:{now.date().isoformat()}",
                lambda n=count: _(
                    "%(num)s items have waited for your review for more than a week.", num=n
                ),
                path_for("review.queue"),
            )


def _permit_expiring(now: datetime) -> Iterator[Due]:
    profiles = db.session.scalars(
        sa.select(ParticipantProfile).where(
            ParticipantProfile.work_permit == WorkPermit.HAS_PERMIT,
            # A day's margin either way: each site's own date is checked below.
            ParticipantProfile.work_permit_expires_on.between(
                now.date() - timedelta(days=1), (now + PERMIT_WARNING).date() + timedelta(days=1)
            ),
        )
    )
    for profile in profiles:
        today = today_at(profile.site, now)
        if not today <= profile.work_permit_expires_on <= today + PERMIT_WARNING:
            continue
        yield (
            profile.user,
            "permit_expiring",
            f"{profile.id}:{profile.work_permit_expires_on.isoformat()}",
            lambda p=profile: _(
                "Your work permit expires on %(date)s. Please renew it in time.",
                date=format_date(p.work_permit_expires_on, "medium"),
            ),
            path_for("participants.mine"),
        )


def _event_tomorrow(now: datetime) -> Iterator[Due]:
    events = db.session.scalars(
        sa.select(Event).where(Event.starts_at.between(now, now + timedelta(days=2)))
    )
    for event in events:
        if event.starts_at.astimezone(event.site.zone).date() != today_at(
            event.site, now
        ) + timedelta(days=1):
            continue
        for rsvp in db.session.scalars(sa.select(Rsvp).where(Rsvp.event_id == event.id)):
            yield (
                rsvp.user,
                "event_tomorrow",
                str(event.id),
                lambda e=event: _("Tomorrow: %(title)s. See you there!", title=e.translated_title),
                path_for("events.show", event_id=event.id),
            )


def _offer_answer_due(now: datetime) -> Iterator[Due]:
    """The day before the participant is asked to answer an offer. The key names the day, so an
    offer sent again with a new day is reminded of again."""
    offers = db.session.scalars(
        sa.select(Application).where(
            Application.status == ApplicationStatus.OFFERED,
            # A day's margin either way: each site's own date is checked below.
            Application.offer_answer_by.between(now.date(), now.date() + timedelta(days=2)),
        )
    )
    for application in offers:
        tomorrow = today_at(application.posting.site, now) + timedelta(days=1)
        if application.offer_answer_by != tomorrow:
            continue
        yield (
            application.participant.user,
            "offer_answer_due",
            f"{application.id}:{application.offer_answer_by.isoformat()}",
            lambda a=application: _(
                "By tomorrow, %(date)s, please accept or decline the offer for %(title)s.",
                title=a.posting.title,
                date=format_date(a.offer_answer_by, "medium"),
            ),
            path_for("applications.show", application_id=application.id),
        )


CHECKS = (
    _mentor_idle,
    _unconfirmed,
    _profile_incomplete,
    _queue_waiting,
    _permit_expiring,
    _event_tomorrow,
    _offer_answer_due,
)


def send_due(now: datetime | None = None) -> int:
    """Send every reminder that is due and was not sent before; returns how many were sent."""
    now = now or datetime.now(UTC)
    sent = 0
    for check in CHECKS:
        for user, kind, key, message, link in list(check(now)):
            if not user.active:
                continue
            exists = db.session.scalar(
                sa.select(ReminderLog.id).where(
                    ReminderLog.user_id == user.id, ReminderLog.kind == kind, ReminderLog.key == key
                )
            )
            if exists:
                continue
            db.session.add(ReminderLog(user_id=user.id, kind=kind, key=key, sent_at=now))
            notify([user], message, link=link, reminder=True)
            try:
                db.session.commit()
            except sa.exc.IntegrityError:
                db.session.rollback()  # another run sent it a moment ago
                continue
            sent += 1
    return sent
