"""Everything the programme keeps about one person, as the right of access asks: a zip with a
machine-readable ``data.json``, a readable ``data.html`` in the person's language and their CV.

Each section names the table it reads, so that ``tests/test_privacy_export.py`` can check that
every table holding a person's rows is either exported here or named in ``NOT_EXPORTED`` with
the reason. Secrets (password and token hashes) and derived search text never leave.
"""

from __future__ import annotations

import enum
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import ConsentRecord, RoleGrant, User, UserSession
from marketplace.applications.models import Application
from marketplace.audit.labels import action_label
from marketplace.audit.models import AuditEntry
from marketplace.calendars.models import CalendarToken
from marketplace.certificates.models import Certificate
from marketplace.conversations.models import Message
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.mail.services import recipient_locale
from marketplace.mentors.models import (
    AvailabilityWindow,
    MentorExpertise,
    MentorLanguage,
    MentorProfile,
    Unavailability,
)
from marketplace.notifications.models import Notification
from marketplace.organisations.models import Organisation, OrganisationMember
from marketplace.participants import services as participants
from marketplace.participants.models import (
    ParticipantInterest,
    ParticipantLanguage,
    ParticipantProfile,
    RecommendedSupport,
)
from marketplace.placements.models import MentoringSession, Placement
from marketplace.plans.models import PlanGoal, PlanMeasure, PlanVersion
from marketplace.postings.models import Posting
from marketplace.privacy import scope
from marketplace.privacy.labels import FIELD_LABELS, shown_fields
from marketplace.questionnaires.models import Answer, Question, Response
from marketplace.recommendations.models import Invitation
from marketplace.reminders.models import ReminderLog
from marketplace.training.models import Enrolment, TrainingSession
from marketplace.workflow.models import StatusChange

# Never exported: secrets, and text derived from other fields for search.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "search_text", "cv_stored_name"})

# Tables that refer to a person but are not part of their export, and why.
NOT_EXPORTED = {
    "api_token": "a key for the open data API, made by a super-admin for the programme",
    "matching_round": "a coordinator's working record; the person's own pairs are in applications",
    "posting": "an organisation's posting, written for the public",
    "questionnaire": "the questions themselves, not anyone's answers",
    "thread_read": "only which message was read last, for the unread count",
    "posting_invitation": "exported as the invited participant's invitations",
    "individual_plan_version": "exported with the participant's plan",
    "mentoring_session": "exported with the participant's placements",
    "certificate": "exported as the participant's certificates",
    "matching_round_unmatched": "a draft of a matching round, replaced when it runs again",
    "second_factor": "the secret of the login's second step, which must never leave the site",
    "recovery_code": "only hashes of single-use login codes",
    "matching_round_pair": "a draft pair of a matching round; what came of it is an application",
    "matching_mentor_share": "a coordinator's share of a mentor's places in a matching round",
}

# Tables read through a join by a section about another table.
READ_THROUGH = {
    "questionnaire_response": "answer",
    "individual_plan": "individual_plan_version",
}


@dataclass(frozen=True)
class Section:
    key: str  # its name in data.json
    table: str
    title: object  # lazy string
    rows: list[dict]
    # How the readable page words a field's coded values (data.json keeps the codes).
    wording: dict[str, Callable] = field(default_factory=dict)


def _plain(value):
    """A value as JSON can hold it; enums by their stored value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def record(obj, **extra) -> dict:
    """The object's columns (secrets left out) and ``extra`` fields. Values stay as they are
    (enums keep their label for the readable page); data.json stores them plainly."""
    values = {
        column.key: getattr(obj, column.key)
        for column in sa.inspect(obj).mapper.column_attrs
        if column.key not in SECRET_COLUMNS
    }
    values.update(extra)
    return values


def _rows(query) -> list:
    return list(db.session.scalars(query))


def _account(user: User) -> list[dict]:
    return [record(user, site=user.site.name if user.site else None)]


def _roles(user: User) -> list[dict]:
    grants = _rows(sa.select(RoleGrant).where(RoleGrant.user_id == user.id))
    return [record(g, site=g.site.name if g.site else None) for g in grants]


def _by_user(model) -> Callable[[User], list[dict]]:
    def rows(user: User) -> list[dict]:
        return [record(r) for r in _rows(sa.select(model).where(model.user_id == user.id))]

    return rows


def _by_profile(model, column: str = "profile_id") -> Callable[[ParticipantProfile], list[dict]]:
    def rows(profile: ParticipantProfile) -> list[dict]:
        query = sa.select(model).where(getattr(model, column) == profile.id)
        return [record(r) for r in _rows(query)]

    return rows


def _questionnaire_answers(profile: ParticipantProfile) -> list[dict]:
    query = (
        sa.select(Answer, Question, Response)
        .join(Question, Answer.question_id == Question.id)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.profile_id == profile.id)
        .order_by(Response.id, Question.position)
    )
    return [
        record(
            answer,
            question=question.text_in("text", recipient_locale(profile.user)),
            submitted_at=response.submitted_at,
        )
        for answer, question, response in db.session.execute(query)
    ]


def _applications(profile: ParticipantProfile) -> list[dict]:
    query = (
        sa.select(Application, Posting.title, Organisation.name)
        .join(Posting, Application.posting_id == Posting.id)
        .join(Organisation, Posting.organisation_id == Organisation.id)
        .where(Application.participant_id == profile.id)
        .order_by(Application.id)
    )
    return [
        record(application, posting=title, organisation=organisation)
        for application, title, organisation in db.session.execute(query)
    ]


def _placements(profile: ParticipantProfile) -> list[dict]:
    query = sa.select(Placement).where(Placement.participant_id == profile.id)
    return [
        record(p, posting=p.posting.title, organisation=p.organisation.name)
        for p in _rows(query.order_by(Placement.id))
    ]


def _mentoring_sessions(profile: ParticipantProfile) -> list[dict]:
    query = (
        sa.select(MentoringSession)
        .join(Placement, MentoringSession.placement_id == Placement.id)
        .where(Placement.participant_id == profile.id)
        .order_by(MentoringSession.held_on)
    )
    return [record(s) for s in _rows(query)]


def _status_history(profile: ParticipantProfile) -> list[dict]:
    """Every step of the person's profile, applications and placements (who took it aside)."""
    query = sa.select(StatusChange).where(scope.status_changes_of(profile))
    return [
        {key: value for key, value in record(c).items() if key != "actor_id"}
        for c in _rows(query.order_by(StatusChange.id))
    ]


def _plan_rows(model, profile: ParticipantProfile) -> list[dict]:
    column = PlanVersion.id if model is PlanVersion else model.version_id
    query = sa.select(model).where(column.in_(scope.plan_versions_of(profile)))
    return [record(r) for r in _rows(query)]


def _training(profile: ParticipantProfile) -> list[dict]:
    query = (
        sa.select(Enrolment, TrainingSession)
        .join(TrainingSession, Enrolment.session_id == TrainingSession.id)
        .where(Enrolment.participant_id == profile.id)
        .order_by(TrainingSession.held_on)
    )
    return [
        record(enrolment, title=session.title, held_on=session.held_on, minutes=session.minutes)
        for enrolment, session in db.session.execute(query)
    ]


def _events(user: User) -> list[dict]:
    query = (
        sa.select(Rsvp, Event)
        .join(Event, Rsvp.event_id == Event.id)
        .where(Rsvp.user_id == user.id)
        .order_by(Event.starts_at)
    )
    return [
        record(rsvp, title=event.title, starts_at=event.starts_at)
        for rsvp, event in db.session.execute(query)
    ]


def _messages(user: User, profile: ParticipantProfile | None) -> list[dict]:
    """What the person wrote, and what others wrote to them about their own applications and
    placements (without the other writer's account number)."""
    theirs = Message.author_id == user.id
    if profile is not None:
        theirs = sa.or_(theirs, scope.conversations_of(profile))
    return [
        {**record(m, written_by_you=m.author_id == user.id), "author_id": None}
        for m in _rows(sa.select(Message).where(theirs).order_by(Message.id))
    ]


def _certificates(profile: ParticipantProfile) -> list[dict]:
    query = sa.select(Certificate).where(Certificate.participant_id == profile.id)
    return [
        {key: value for key, value in record(c).items() if key != "issued_by_id"}
        for c in _rows(query)
    ]


def _invitations(profile: ParticipantProfile) -> list[dict]:
    query = (
        sa.select(Invitation, Posting.title)
        .join(Posting, Invitation.posting_id == Posting.id)
        .where(Invitation.participant_id == profile.id)
    )
    return [
        {key: value for key, value in record(i, posting=title).items() if key != "invited_by_id"}
        for i, title in db.session.execute(query)
    ]


def _mentor_rows(model, mentor: MentorProfile) -> list[dict]:
    return [record(r) for r in _rows(sa.select(model).where(model.profile_id == mentor.id))]


def _memberships(user: User) -> list[dict]:
    query = sa.select(OrganisationMember).where(OrganisationMember.user_id == user.id)
    return [record(m, organisation=m.organisation.name) for m in _rows(query)]


def _own_actions(user: User) -> list[dict]:
    query = sa.select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id)
    return [record(e) for e in _rows(query)]


def sections_of(user: User, keep_empty: bool = False) -> list[Section]:
    """The person's data, section by section; empty sections are left out unless asked for."""
    profile = participants.profile_of(user)
    mentor = db.session.scalar(sa.select(MentorProfile).where(MentorProfile.user_id == user.id))
    found = [
        Section("account", "user_account", _l("Your account"), _account(user)),
        Section("roles", "role_grant", _l("Roles"), _roles(user)),
        Section("consents", "consent_record", _l("Consents"), _by_user(ConsentRecord)(user)),
        Section("devices", "user_session", _l("Your devices"), _by_user(UserSession)(user)),
        Section(
            "calendar_links",
            "calendar_token",
            _l("Your calendar link"),
            _by_user(CalendarToken)(user),
        ),
        Section("notifications", "notification", _l("Notifications"), _by_user(Notification)(user)),
        Section("reminders", "reminder_log", _l("Reminders"), _by_user(ReminderLog)(user)),
        Section("events", "rsvp", _l("Events"), _events(user)),
        Section("messages", "message", _l("Messages"), _messages(user, profile)),
        Section(
            "organisations", "organisation_member", _l("Your organisations"), _memberships(user)
        ),
        Section(
            "your_actions",
            "audit_entry",
            _l("Your actions"),
            _own_actions(user),
            wording={"action": action_label},
        ),
    ]
    if profile is not None:
        found += [
            Section(
                "profile",
                "participant_profile",
                _l("Your profile"),
                [record(profile, site=profile.site.name)],
            ),
            Section(
                "languages",
                "participant_language",
                _l("Languages"),
                _by_profile(ParticipantLanguage)(profile),
            ),
            Section(
                "interests",
                "participant_interest",
                _l("Areas of interest"),
                _by_profile(ParticipantInterest)(profile),
            ),
            Section(
                "recommended_support",
                "recommended_support",
                _l("Recommended support"),
                _by_profile(RecommendedSupport)(profile),
            ),
            Section(
                "questionnaire_answers",
                "answer",
                _l("Needs assessment"),
                _questionnaire_answers(profile),
            ),
            Section("applications", "application", _l("Your applications"), _applications(profile)),
            Section(
                "invitations",
                "posting_invitation",
                _l("Invitations to apply"),
                _invitations(profile),
            ),
            Section("placements", "placement", _l("Placements"), _placements(profile)),
            Section(
                "mentoring_sessions",
                "mentoring_session",
                _l("Mentoring sessions"),
                _mentoring_sessions(profile),
            ),
            Section("status_history", "status_change", _l("History"), _status_history(profile)),
            Section(
                "plan_versions",
                "individual_plan_version",
                _l("Individual plan"),
                _plan_rows(PlanVersion, profile),
            ),
            Section(
                "plan_measures",
                "individual_plan_measure",
                _l("Planned support"),
                _plan_rows(PlanMeasure, profile),
            ),
            Section(
                "plan_goals", "individual_plan_goal", _l("Goals"), _plan_rows(PlanGoal, profile)
            ),
            Section("training", "training_enrolment", _l("Training"), _training(profile)),
            Section("certificates", "certificate", _l("Certificates"), _certificates(profile)),
        ]
    if mentor is not None:
        found += [
            Section(
                "mentor_profile", "mentor_profile", _l("Your mentor profile"), [record(mentor)]
            ),
            Section(
                "mentor_languages",
                "mentor_language",
                _l("Languages"),
                _mentor_rows(MentorLanguage, mentor),
            ),
            Section(
                "mentor_expertise",
                "mentor_expertise",
                _l("Areas of expertise"),
                _mentor_rows(MentorExpertise, mentor),
            ),
            Section(
                "availability",
                "availability_window",
                _l("Weekly availability"),
                _mentor_rows(AvailabilityWindow, mentor),
            ),
            Section(
                "unavailability",
                "unavailability",
                _l("Time away"),
                _mentor_rows(Unavailability, mentor),
            ),
        ]
    return [section for section in found if section.rows or keep_empty]


def archive(user: User, generated_at: datetime) -> bytes:
    """The zip the person downloads: data.json, data.html and their CV if they gave one."""
    sections = sections_of(user)
    document = {
        "generated_at": generated_at.isoformat(),
        "person": {"id": user.id, "name": user.display_name, "email": user.email},
        **{section.key: section.rows for section in sections},
    }
    with force_locale(recipient_locale(user)):
        page = render_template(
            "privacy/export.html",
            user=user,
            sections=sections,
            generated_at=generated_at,
            labels=FIELD_LABELS,
            shown_fields=shown_fields,
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(
            "data.json", json.dumps(document, ensure_ascii=False, indent=2, default=_plain)
        )
        zipped.writestr("data.html", page)
        profile = participants.profile_of(user)
        cv = participants.cv_path(profile) if profile is not None else None
        if cv is not None and cv.exists():
            zipped.write(cv, "cv-" + (profile.cv_original_name or "cv.pdf"))
    return buffer.getvalue()
