"""The right to erasure: a person asks, a coordinator of their site confirms, and the person's
data is anonymised in one transaction.

Erased: name and e-mail (replaced by a pseudonym), the password, every free text they wrote or
that was written about them, their CV file, certificates, questionnaire answers, notifications,
devices, calendar links, second-step secrets and mail. Kept, so that the programme's indicators
and the audit trail stay correct: the rows themselves and their statuses, dates and hours, and
the fields the indicators count by (site, country of origin, gender, date of birth). Without a
name, an e-mail or any free text these no longer point to the person. The account can never log
in again.
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.applications.models import Application
from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry
from marketplace.auth import sessions
from marketplace.calendars.models import CalendarToken
from marketplace.certificates.models import Certificate
from marketplace.conversations.models import Message, ThreadRead
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.mail.models import OutboxMessage
from marketplace.mentors.models import MentorProfile, Unavailability
from marketplace.notifications import services as notifications
from marketplace.notifications.models import Notification
from marketplace.organisations.services import coordinators_of
from marketplace.participants import services as participants
from marketplace.participants.models import ParticipantProfile
from marketplace.placements.models import MentoringSession, Placement, PlacementStatus
from marketplace.plans.models import PlanGoal, PlanVersion
from marketplace.privacy import scope
from marketplace.problems import Problem
from marketplace.questionnaires.models import Answer, Response
from marketplace.reminders.models import ReminderLog
from marketplace.two_factor.models import RecoveryCode, SecondFactor
from marketplace.workflow.models import StatusChange

ERASED_DOMAIN = "erased.invalid"  # a reserved top-level domain: no mail can ever reach it


def pseudonym(user: User) -> str:
    return f"#{user.id}"


def is_pending(user: User) -> bool:
    return user.erasure_requested_at is not None and user.erased_at is None


def request_erasure(user: User) -> None:
    """The person asks; their site's coordinators are told. The caller has checked the password."""
    if user.erased_at is not None or user.erasure_requested_at is not None:
        return
    user.erasure_requested_at = utcnow()
    audit.record("privacy.erasure_requested", actor=user, obj=user, site_id=user.site_id)
    notifications.notify(
        deciders_for(user),
        lambda: _("%(name)s asked for their data to be erased.", name=user.display_name),
        link=path_for("privacy.decide", user_id=user.id),
    )
    db.session.commit()


def cancel_request(user: User) -> None:
    if not is_pending(user):
        return
    user.erasure_requested_at = None
    audit.record("privacy.erasure_cancelled", actor=user, obj=user, site_id=user.site_id)
    db.session.commit()


def deciders_for(user: User) -> list[User]:
    """Who confirms: the coordinators of the person's site, or super-admins for a person with
    no site."""
    if user.site_id is not None:
        return coordinators_of(user.site_id)
    return list(
        db.session.scalars(
            sa.select(User).where(
                User.active.is_(True),
                User.id.in_(_holders_of(Role.SUPER_ADMIN)),
            )
        )
    )


def _holders_of(role: Role) -> sa.Select:
    return sa.select(RoleGrant.user_id).where(RoleGrant.role == role)


def may_decide(actor: User, user: User) -> bool:
    if actor.has_role(Role.SUPER_ADMIN):
        return True
    return user.site_id is not None and user.site_id in actor.sites_for(Role.COORDINATOR)


def pending_requests(actor: User) -> sa.Select:
    """Requests waiting for ``actor``, oldest first."""
    query = sa.select(User).where(User.erasure_requested_at.is_not(None), User.erased_at.is_(None))
    if not actor.has_role(Role.SUPER_ADMIN):
        query = query.where(User.site_id.in_(actor.sites_for(Role.COORDINATOR)))
    return query.order_by(User.erasure_requested_at, User.id)


def pending_count(actor: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(pending_requests(actor).subquery())
    )


def running_placements(user: User) -> int:
    """Placements still running, which a coordinator should end first or knowingly keep."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Placement)
        .join(ParticipantProfile, Placement.participant_id == ParticipantProfile.id)
        .where(ParticipantProfile.user_id == user.id, Placement.status == PlacementStatus.ACTIVE)
    )


def erase(actor: User | None, user: User) -> None:
    """Anonymise ``user`` now (see the module's docstring) and end their sessions. ``actor`` is
    the confirming coordinator, or None for the sites' retention (retention.py)."""
    if user.erased_at is not None:
        raise Problem(_("This person's data has already been erased."))
    old_name, old_email = user.display_name, user.email
    _erase_account(user)
    profile = participants.profile_of(user)
    if profile is not None:
        cv_file = participants.cv_path(profile)
        _erase_participant(profile)
    else:
        cv_file = None
    _erase_mentor(user)
    _erase_traces(user, profile, old_name, old_email)
    by_retention = actor is None
    audit.record(
        "privacy.purged" if by_retention else "privacy.erased",
        actor=actor,
        obj=user,
        site_id=user.site_id,
        summary=f"{pseudonym(user)} erased",
    )
    db.session.commit()
    # After the commit: a failed transaction must not have lost the file.
    if cv_file is not None:
        cv_file.unlink(missing_ok=True)


def _erase_account(user: User) -> None:
    now = utcnow()
    user.display_name = pseudonym(user)
    user.email = f"erased-{user.id}@{ERASED_DOMAIN}"
    # Not a hash of any password: nothing can log in with it.
    user.password_hash = "!erased!" + secrets.token_hex(16)
    user.active = False
    user.reminder_emails = False
    user.erased_at = now
    user.erasure_requested_at = user.erasure_requested_at or now
    sessions.end_all(user)
    for model in (CalendarToken, Notification, ReminderLog, ThreadRead, SecondFactor, RecoveryCode):
        db.session.execute(sa.delete(model).where(model.user_id == user.id))


def _erase_participant(profile: ParticipantProfile) -> None:
    profile.education = profile.work_experience = ""
    profile.interview_notes = profile.review_comment = ""
    profile.work_permit_expires_on = None
    profile.cv_stored_name = profile.cv_original_name = profile.cv_uploaded_at = None
    responses = sa.select(Response.id).where(Response.profile_id == profile.id)
    db.session.execute(sa.update(Answer).where(Answer.response_id.in_(responses)).values(value=""))
    db.session.execute(
        sa.update(Application)
        .where(Application.participant_id == profile.id)
        .values(motivation="", decline_note="", coordinator_comment="", offer_message="")
    )
    db.session.execute(
        sa.update(Placement).where(Placement.participant_id == profile.id).values(end_reason="")
    )
    db.session.execute(
        sa.update(MentoringSession)
        .where(MentoringSession.placement_id.in_(scope.placements_of(profile)))
        .values(topic="", notes="", dispute_note="")
    )
    versions = scope.plan_versions_of(profile)
    db.session.execute(sa.update(PlanVersion).where(PlanVersion.id.in_(versions)).values(note=""))
    db.session.execute(
        sa.update(PlanGoal)
        .where(PlanGoal.version_id.in_(versions))
        .values(text="", reached_note="")
    )
    db.session.execute(
        sa.update(StatusChange).where(scope.status_changes_of(profile)).values(reason="")
    )
    # A certificate is a copy of their name and record: it goes, and its code no longer checks.
    db.session.execute(sa.delete(Certificate).where(Certificate.participant_id == profile.id))
    db.session.execute(sa.update(Message).where(scope.conversations_of(profile)).values(body=""))


def _erase_mentor(user: User) -> None:
    mentor = db.session.scalar(sa.select(MentorProfile).where(MentorProfile.user_id == user.id))
    if mentor is None:
        return
    mentor.bio = mentor.review_comment = ""
    db.session.execute(
        sa.update(Unavailability).where(Unavailability.profile_id == mentor.id).values(note="")
    )


def _erase_traces(
    user: User, profile: ParticipantProfile | None, old_name: str, old_email: str
) -> None:
    """What they wrote elsewhere, mail to them, and their name and address in the audit trail:
    the address wherever it appears (it is unique), the name in entries by or about them."""
    db.session.execute(sa.update(Message).where(Message.author_id == user.id).values(body=""))
    db.session.execute(
        sa.delete(OutboxMessage).where(sa.func.lower(OutboxMessage.recipient) == old_email.lower())
    )
    db.session.execute(
        sa.update(AuditEntry).where(AuditEntry.actor_id == user.id).values(ip_address=None)
    )
    about_them = sa.or_(
        AuditEntry.actor_id == user.id,
        sa.and_(AuditEntry.object_type == "User", AuditEntry.object_id == user.id),
        sa.and_(
            AuditEntry.object_type == "ParticipantProfile",
            AuditEntry.object_id == (profile.id if profile is not None else None),
        ),
    )
    for needle, where in ((old_email, sa.true()), (old_name, about_them)):
        if needle:
            db.session.execute(
                sa.update(AuditEntry)
                .where(where, AuditEntry.summary.contains(needle, autoescape=True))
                .values(summary=sa.func.replace(AuditEntry.summary, needle, pseudonym(user)))
            )
