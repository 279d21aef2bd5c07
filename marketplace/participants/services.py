"""Participants: eligibility, profile, consent, CV, needs assessment and review."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from marketplace.accounts.models import ConsentRecord, User
from marketplace.audit import services as audit
from marketplace.certificates import services as certificates
from marketplace.certificates.models import Certificate
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.links import path_for
from marketplace.mentors.models import Expertise
from marketplace.notifications.services import notify
from marketplace.organisations.services import coordinators_of, is_site_coordinator
from marketplace.participants.journey import profile_path
from marketplace.participants.models import (
    ParticipantInterest,
    ParticipantLanguage,
    ParticipantProfile,
    RecommendedSupport,
    Support,
)
from marketplace.participants.models import ProfileStatus as Status
from marketplace.participants.pdf_check import PdfVerdict, check_pdf
from marketplace.problems import NotAllowed, Problem, WrongStatus
from marketplace.questionnaires import services as questionnaires
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site
from marketplace.workflow.services import Step, Workflow


def relations(user: User, profile: ParticipantProfile) -> set[str]:
    """The participant owns their profile; the coordinators of its site interview and review."""
    found = set()
    if profile.user_id == user.id:
        found.add("owner")
    if is_site_coordinator(user, profile.site_id):
        found.add("coordinator")
    return found


WORKFLOW = Workflow(
    "participant",
    [
        Step.of("start", [None], Status.DRAFT, {"owner"}),
        Step.of("submit", [Status.DRAFT, Status.CHANGES_REQUESTED], Status.SUBMITTED, {"owner"}),
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
EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED, Status.SUBMITTED}
COMMENTED = {Status.CHANGES_REQUESTED, Status.REJECTED}
PROCESSING_CONSENT = "data_processing"
FUNDER_CONSENT = "funder_sharing"
# The participant may be suggested to employers looking for people (off until they say yes).
SUGGESTION_CONSENT = "employer_suggestions"
CONSENT_VERSION = "2026-11"


def can_edit(user: User, profile: ParticipantProfile) -> bool:
    """The participant changes their profile until a coordinator has decided on it."""
    return "owner" in WORKFLOW.relations_of(user, profile) and profile.status in EDITABLE


def review_comment(profile: ParticipantProfile) -> str:
    """The coordinator's comment, while it still tells the participant what to change."""
    return profile.review_comment if profile.status in COMMENTED else ""


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def eligibility_problem(birth: date, site: Site, on: date | None = None) -> str | None:
    """Why a person of this birth date cannot take part at ``site`` (on its local date), or
    None. The age bounds are the site's settings."""
    day = on or today_at(site)
    age = age_on(birth, day)
    if birth > day:
        return _("Please check the date of birth: it is in the future.")
    if age < site.min_participant_age:
        return _(
            "The programme is for people aged %(min)s to %(max)s. You can join from your "
            "%(min)sth birthday.",
            min=site.min_participant_age,
            max=site.max_participant_age,
        )
    if age > site.max_participant_age:
        return _(
            "The programme is for people aged %(min)s to %(max)s, so we cannot register you. "
            "A coordinator can tell you about other support.",
            min=site.min_participant_age,
            max=site.max_participant_age,
        )
    return None


def spoken_levels(profile: ParticipantProfile, local: str) -> dict[str, CefrLevel]:
    """The languages the participant speaks, with their level in the local language ``local``
    (the profile asks for it apart from the others)."""
    spoken = {item.language: item.level for item in profile.languages}
    level = profile.local_language_level
    if level and (local not in spoken or level.rank > spoken[local].rank):
        spoken[local] = level
    return spoken


def participant_age(profile: ParticipantProfile) -> int:
    return age_on(profile.date_of_birth, today_at(profile.site))


def profile_of(user: User) -> ParticipantProfile | None:
    return db.session.scalar(
        sa.select(ParticipantProfile).where(ParticipantProfile.user_id == user.id)
    )


def can_view(user, profile: ParticipantProfile) -> bool:
    """The participant and the coordinators of their site; nobody else (not employers)."""
    return user.is_authenticated and (
        user.id == profile.user_id or is_site_coordinator(user, profile.site_id)
    )


def can_see_cv(user, profile: ParticipantProfile) -> bool:
    """As ``can_view``, and an employer once they have shortlisted the person for one of their
    postings: before that the applicant is anonymous to them."""
    if can_view(user, profile):
        return True
    if not user.is_authenticated:
        return False
    # Imported here: applications build on participants, not the other way round.
    from marketplace.applications.models import DISCLOSED_STATUSES, Application
    from marketplace.organisations.models import OrganisationMember
    from marketplace.postings.models import Posting
    from marketplace.sites.services import home_sites

    return bool(
        db.session.scalar(
            sa.select(Application.id)
            .join(Posting)
            .join(OrganisationMember, OrganisationMember.organisation_id == Posting.organisation_id)
            .where(
                Application.participant_id == profile.id,
                Application.status.in_(DISCLOSED_STATUSES),
                OrganisationMember.user_id == user.id,
                OrganisationMember.approved.is_(True),
                # Staff of the organisation who belong to another site never read the CV.
                Posting.site_id.in_(home_sites(user)),
            )
            .limit(1)
        )
    )


# Consent ----------------------------------------------------------------------------------------


def active_consent(user: User, kind: str) -> ConsentRecord | None:
    return db.session.scalar(
        sa.select(ConsentRecord).where(
            ConsentRecord.user_id == user.id,
            ConsentRecord.kind == kind,
            ConsentRecord.withdrawn_at.is_(None),
        )
    )


def give_consent(user: User, kind: str) -> None:
    if active_consent(user, kind) is None:
        db.session.add(
            ConsentRecord(user=user, kind=kind, version=CONSENT_VERSION, given_at=utcnow())
        )
        audit.record("consent.given", actor=user, obj=user, site_id=user.site_id, summary=kind)


def save_matching_preferences(
    user: User,
    profile: ParticipantProfile,
    suggest_me: bool,
    available_from: date | None,
    available_until: date | None,
) -> None:
    """Whether employers may see the participant suggested for their postings, and when they
    can take a place. Changeable at any time, whatever the profile's status."""
    if profile.user_id != user.id:
        raise NotAllowed
    if available_from and available_until and available_until < available_from:
        raise Problem(_("The end date cannot be before the start date."))
    profile.available_from, profile.available_until = available_from, available_until
    if suggest_me:
        give_consent(user, SUGGESTION_CONSENT)
    else:
        _withdraw(user, SUGGESTION_CONSENT)
    db.session.commit()


def withdraw_consent(user: User, kind: str) -> None:
    """Withdraw an optional consent."""
    if kind == PROCESSING_CONSENT:
        raise NotAllowed  # the programme cannot work with a person without it: erasure instead
    _withdraw(user, kind)
    db.session.commit()


def _withdraw(user: User, kind: str) -> None:
    """The record stays, with the time of withdrawal."""
    record = active_consent(user, kind)
    if record is not None:
        record.withdrawn_at = utcnow()
        audit.record("consent.withdrawn", actor=user, obj=user, site_id=user.site_id, summary=kind)


# The profile ------------------------------------------------------------------------------------


def save_profile(
    user: User,
    values: dict,
    languages: list[tuple[str, CefrLevel]],
    interests: list[Expertise],
    share_with_funder: bool,
) -> ParticipantProfile:
    site = user.site
    problem = eligibility_problem(values["date_of_birth"], site)
    if problem:
        raise Problem(problem)
    profile = profile_of(user)
    if profile is None:
        profile = ParticipantProfile(
            user=user, user_id=user.id, site_id=site.id, status=None, **values
        )
        db.session.add(profile)
        WORKFLOW.take(user, profile, "start", site_id=site.id)
    elif not can_edit(user, profile):
        raise WrongStatus(profile.status)
    else:
        for key, value in values.items():
            setattr(profile, key, value)
    wanted = dict(languages)
    for spoken in list(profile.languages):
        if spoken.language in wanted:
            spoken.level = wanted.pop(spoken.language)
        else:
            profile.languages.remove(spoken)
    profile.languages.extend(ParticipantLanguage(language=c, level=lv) for c, lv in wanted.items())
    chosen = set(interests)
    profile.interests = [i for i in profile.interests if i.area in chosen] + [
        ParticipantInterest(area=area) for area in chosen - {i.area for i in profile.interests}
    ]
    give_consent(user, PROCESSING_CONSENT)
    if share_with_funder:
        give_consent(user, FUNDER_CONSENT)
    else:
        _withdraw(user, FUNDER_CONSENT)
    db.session.commit()
    return profile


def submit(user: User, profile: ParticipantProfile) -> None:
    WORKFLOW.check(user, profile, "submit")
    questionnaire = questionnaires.current(profile.site_id)
    response = questionnaires.latest_response(profile.id)
    if questionnaire is not None and (response is None or response.submitted_at is None):
        raise Problem(_("Please fill in the questionnaire first."))
    problem = eligibility_problem(profile.date_of_birth, profile.site)
    if problem:
        raise Problem(problem)
    WORKFLOW.take(user, profile, "submit", site_id=profile.site_id)
    notify(
        coordinators_of(profile.site_id),
        lambda: _(
            "A participant waits for the interview and approval: %(name)s",
            name=profile.user.display_name,
        ),
        link=path_for("participants.show", profile_id=profile.id),
    )
    db.session.commit()


def save_interview(
    actor: User, profile: ParticipantProfile, notes: str, support: list[Support]
) -> None:
    if not is_site_coordinator(actor, profile.site_id):
        raise NotAllowed
    profile.interview_notes = notes.strip()
    chosen = set(support)
    profile.support = [s for s in profile.support if s.kind in chosen] + [
        RecommendedSupport(kind=kind) for kind in chosen - {s.kind for s in profile.support}
    ]
    audit.record("participant.interview_saved", actor=actor, obj=profile, site_id=profile.site_id)
    db.session.commit()


def review(actor: User, profile: ParticipantProfile, target: Status, comment: str = "") -> None:
    step = REVIEW_STEPS[target]
    WORKFLOW.check(actor, profile, step)
    if target in COMMENTED and not comment.strip():
        raise Problem(_("Please write a comment for the participant."))
    WORKFLOW.take(actor, profile, step, site_id=profile.site_id, reason=comment)
    profile.review_comment = comment.strip()
    messages = {
        Status.APPROVED: lambda: _("Your profile is approved. You can now apply for postings."),
        Status.CHANGES_REQUESTED: lambda: _(
            "Please change your profile. Comment: %(comment)s", comment=comment
        ),
        Status.REJECTED: lambda: _(
            "Your profile was not approved. Comment: %(comment)s", comment=comment
        ),
    }
    notify([profile.user], messages[target], link=path_for("participants.mine"))
    db.session.commit()


def issue_certificate(actor: User, profile: ParticipantProfile) -> Certificate:
    """A new certificate of what the participant has done so far. Issuing again makes another;
    the earlier ones stay valid and say on their public page that a newer one exists."""
    if not is_site_coordinator(actor, profile.site_id):
        raise NotAllowed
    if profile.status != Status.APPROVED:
        raise Problem(_("A certificate can be issued only once the profile is approved."))
    certificate = certificates.record(actor, profile)
    audit.record(
        "participant.certificate_issued",
        actor=actor,
        obj=profile,
        site_id=profile.site_id,
        summary=certificates.formatted(certificate.code),
    )
    notify(
        [profile.user],
        lambda: _("Your certificate of mentoring and training is ready."),
        link=path_for("participants.certificate", profile_id=profile.id),
    )
    db.session.commit()
    return certificate


# CV --------------------------------------------------------------------------------------------


def cv_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads" / "cv"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cv_refusal(content: bytes) -> str | None:
    """Why an uploaded file cannot be kept as a CV, in words for the person who sent it."""
    verdict = check_pdf(content)
    if verdict == PdfVerdict.NOT_A_PDF:
        return _("This file is not a PDF. Please save your CV as PDF and send it again.")
    if verdict == PdfVerdict.PROTECTED:
        return _("This PDF is protected by a password. Please send a copy without a password.")
    if verdict == PdfVerdict.ACTIVE_CONTENT:
        return _(
            "For safety, we only accept plain PDF files. This file contains scripts, actions "
            "or attached files. Please save your CV as PDF again (for example with Print, "
            "then Save as PDF) and send it."
        )
    return None


def store_cv(user: User, profile: ParticipantProfile, filename: str, content: bytes) -> None:
    if profile.user_id != user.id:
        raise NotAllowed
    if len(content) > current_app.config["CV_MAX_BYTES"]:
        raise Problem(
            _(
                "The file is larger than %(size)s MB. Please send a smaller PDF.",
                size=current_app.config["CV_MAX_BYTES"] // (1024 * 1024),
            ),
        )
    refusal = cv_refusal(content)
    if refusal:
        raise Problem(refusal)
    stored = f"{secrets.token_hex(16)}.pdf"
    (cv_folder() / stored).write_bytes(content)
    old = profile.cv_stored_name
    profile.cv_stored_name, profile.cv_uploaded_at = stored, utcnow()
    # Only printable characters: no NUL (PostgreSQL refuses it), newline or direction mark.
    name = "".join(c for c in Path(filename or "").name if c.isprintable())
    profile.cv_original_name = (name or "cv.pdf")[:200]
    audit.record("participant.cv_uploaded", actor=user, obj=profile, site_id=profile.site_id)
    db.session.commit()
    if old:
        (cv_folder() / old).unlink(missing_ok=True)


def cv_path(profile: ParticipantProfile) -> Path | None:
    if not profile.cv_stored_name:
        return None
    path = cv_folder() / profile.cv_stored_name
    return path if path.exists() else None


# Queries ----------------------------------------------------------------------------------------


def for_coordinator(site_ids: set[int] | None, status: str | None = None) -> sa.Select:
    query = sa.select(ParticipantProfile)
    if site_ids is not None:
        query = query.where(ParticipantProfile.site_id.in_(site_ids))
    if status:
        query = query.where(ParticipantProfile.status == status)
    return query.order_by(ParticipantProfile.updated_at.desc(), ParticipantProfile.id.desc())


def submitted_for_review(site_ids: set[int] | None) -> sa.Select:
    return (
        for_coordinator(site_ids, Status.SUBMITTED)
        .order_by(None)
        .order_by(ParticipantProfile.updated_at, ParticipantProfile.id)
    )


def next_steps(user: User) -> list[tuple[str, str]]:
    """What a participant should do next, as (text, link) pairs, most urgent first."""
    profile = profile_of(user)
    path = profile_path(user, profile)
    if path is not None:
        step = {
            "profile": _("Complete your profile."),
            "questionnaire": _("Fill in the questionnaire."),
            "send": _("Send your profile to the coordinator."),
        }[path.current.key]
        return [(step, path_for(path.current.endpoint))]
    if profile.status == Status.SUBMITTED:
        return [
            (
                _("Wait for the interview. The coordinator will contact you."),
                path_for("participants.mine"),
            )
        ]
    if profile.status == Status.APPROVED:
        return [(_("Browse postings and apply."), path_for("postings.index"))]
    return []
