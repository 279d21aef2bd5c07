"""The application workflow, from applying to an approved placement.

Every step goes through ``transition`` (checked, recorded, audited) and tells the people
concerned. Approval fills a place and a mentor's place with conditional UPDATEs that the
database guards with CHECK constraints, so no posting or mentor is ever overfilled, even when
coordinators approve at the same instant. Applying locks the applicant's profile row before
counting, so one person's simultaneous applications are counted one after another and never
exceed the site's limit of open applications.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.applications.models import (
    OPEN_STATUSES,
    Application,
    DeclineReason,
    MentorDeclineReason,
    MentorResponse,
)
from marketplace.applications.models import ApplicationStatus as Status
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.i18n import format_date
from marketplace.languages import CefrLevel
from marketplace.links import path_for
from marketplace.mentors.models import AvailabilityWindow, MentorProfile
from marketplace.mentors.models import ProfileStatus as MentorStatus
from marketplace.notifications.services import notify
from marketplace.organisations.services import coordinators_of, is_site_coordinator, staff_of
from marketplace.participants.models import ParticipantProfile, WorkPermit
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.participants.services import eligibility_problem, spoken_levels
from marketplace.placements.models import Placement
from marketplace.postings.models import Posting, PostingKind, PostingStatus
from marketplace.postings.services import is_open as posting_is_open
from marketplace.problems import CapacityReached, NotAllowed, Problem
from marketplace.sites.clock import today_at
from marketplace.sites.services import can_apply_across
from marketplace.workflow.services import SYSTEM, Step, Workflow

# How a person relates to an application; each step of the workflow names who may take it.
APPLICANT, STAFF, COORDINATOR, MENTOR = "applicant", "staff", "coordinator", "mentor"
EMPLOYER = (STAFF, COORDINATOR)  # the posting's staff, or a coordinator acting for the site


def _mentor_declined(application: Application) -> bool:
    return application.mentor_response == MentorResponse.DECLINED


def _mentor_to_answer(application: Application) -> bool:
    return application.mentor_response == MentorResponse.PENDING


def relations(user: User, application: Application) -> set[str]:
    found = set()
    if is_applicant(user, application):
        found.add(APPLICANT)
    if is_staff_for(user, application):
        found.add(STAFF)
    if is_coordinator_for(user, application):
        found.add(COORDINATOR)
    if is_mentor_for(user, application):
        found.add(MENTOR)
    return found


WORKFLOW = Workflow(
    "application",
    [
        Step.of("submit", [None], Status.SUBMITTED, [APPLICANT]),
        Step.of("shortlist", [Status.SUBMITTED], Status.SHORTLISTED, EMPLOYER),
        Step.of("offer", [Status.SHORTLISTED], Status.OFFERED, EMPLOYER),
        # When the named mentor declines, the employer names another; the offer stands.
        Step.of("change_mentor", [Status.OFFERED], None, EMPLOYER, when=_mentor_declined),
        Step.of(
            "decline", [Status.SUBMITTED, Status.SHORTLISTED, Status.OFFERED], Status.DECLINED,
            EMPLOYER,
        ),
        Step.of("mentor_answer", [Status.OFFERED, Status.ACCEPTED], None, [MENTOR],
                when=_mentor_to_answer),
        Step.of("accept", [Status.OFFERED], Status.ACCEPTED, [APPLICANT]),
        Step.of("decline_offer", [Status.OFFERED], Status.OFFER_DECLINED, [APPLICANT]),
        Step.of(
            "withdraw",
            [Status.SUBMITTED, Status.SHORTLISTED, Status.OFFERED, Status.ACCEPTED],
            Status.WITHDRAWN,
            [APPLICANT],
        ),
        # Only a coordinator returns an accepted offer, and only with a comment.
        Step.of("return", [Status.ACCEPTED], Status.OFFERED, [COORDINATOR]),
        Step.of("approve", [Status.ACCEPTED], Status.APPROVED, [COORDINATOR]),
        Step.of("expire", [Status.SUBMITTED, Status.SHORTLISTED], Status.EXPIRED, [SYSTEM]),
    ],
    relations,
)  # fmt: skip


def _take(actor: User | None, application: Application, step: str, reason: str = ""):
    WORKFLOW.take(actor, application, step, site_id=application.posting.site_id, reason=reason)


def available_actions(user: User, application: Application) -> frozenset[str]:
    """The steps this person may take on the application now (the page offers just these)."""
    return WORKFLOW.available(user, application)


def applicant_hidden_from(user: User, application: Application) -> bool:
    """Until shortlisting, the employer's staff know the applicant only as "the applicant"."""
    return (
        not application.identity_disclosed
        and is_staff_for(user, application)
        and not is_coordinator_for(user, application)
        and not is_applicant(user, application)
    )


def next_for_applicant(application: Application) -> str | None:
    """What happens next, told to the applicant in words, for the status the application is in."""
    if application.status == Status.OFFERED:
        return _(
            "Read the terms below. If you accept, a coordinator approves the placement and you "
            "start on the first day; if you decline, the place goes to someone else."
        )
    if application.status == Status.ACCEPTED:
        return _(
            "You accepted the offer. Next, a coordinator approves the placement; you will get "
            "a message then, with the placement's page."
        )
    if application.status == Status.APPROVED:
        return _("The placement is approved. Its page shows your mentoring hours and messages.")
    if application.status == Status.OFFER_DECLINED:
        return _("You declined this offer. The employer is told. You can apply to other postings.")
    return None


def _link(application: Application) -> str:
    return path_for("applications.show", application_id=application.id)


# Who may see and do what ------------------------------------------------------------------------


def is_staff_for(user, application: Application) -> bool:
    return user.is_authenticated and application.posting.organisation.is_staff(user)


def is_coordinator_for(user, application: Application) -> bool:
    return user.is_authenticated and is_site_coordinator(user, application.posting.site_id)


def is_mentor_for(user, application: Application) -> bool:
    return (
        user.is_authenticated
        and application.mentor is not None
        and application.mentor.user_id == user.id
    )


def is_applicant(user, application: Application) -> bool:
    return user.is_authenticated and application.participant.user_id == user.id


def can_view(user, application: Application) -> bool:
    """The people with a part in it, and the coordinators of both sites when the participant
    applied across sites: their own coordinator keeps following them."""
    return (
        is_applicant(user, application)
        or is_staff_for(user, application)
        or is_coordinator_for(user, application)
        or is_mentor_for(user, application)
        or (user.is_authenticated and is_site_coordinator(user, application.participant.site_id))
    )


# Applying ---------------------------------------------------------------------------------------


def open_count(profile: ParticipantProfile) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(Application.participant_id == profile.id, Application.status.in_(OPEN_STATUSES))
    )


def apply_problem(profile: ParticipantProfile | None, posting: Posting) -> str | None:
    """Why this person cannot apply to this posting now, or None."""
    if profile is None or profile.status != ParticipantStatus.APPROVED:
        return _("You can apply when a coordinator has approved your profile.")
    if not can_apply_across(profile.site_id, posting.site_id):
        return _(
            "This posting is at another programme site, which does not take applicants from yours."
        )
    if not posting_is_open(posting):
        return _("This posting does not take applications any more.")
    if db.session.scalar(
        sa.select(Application.id).where(
            Application.participant_id == profile.id, Application.posting_id == posting.id
        )
    ):
        return _("You have already applied to this posting.")
    limit = profile.site.max_open_applications
    if open_count(profile) >= limit:
        return _(
            "You already have %(num)s open applications, the most at one time. Withdraw one "
            "or wait for an answer.",
            num=limit,
        )
    if posting.work_permit_required and not _permit_covers(profile, posting.start_date):
        return _("This posting needs a work permit that is valid on the start date.")
    problem = eligibility_problem(profile.date_of_birth, profile.site)
    if problem:
        return problem
    return None


def _permit_covers(profile: ParticipantProfile, start: date) -> bool:
    if profile.work_permit == WorkPermit.NOT_NEEDED:
        return True
    return (
        profile.work_permit == WorkPermit.HAS_PERMIT
        and profile.work_permit_expires_on is not None
        and profile.work_permit_expires_on >= start
    )


def _lock_for_counting(profile: ParticipantProfile) -> None:
    """Hold the profile's row until commit: another application by the same person waits here
    and then counts this one. (SQLite ignores FOR UPDATE; there every write transaction starts
    with BEGIN IMMEDIATE, which serialises them anyway.)"""
    db.session.execute(
        sa.select(ParticipantProfile.id)
        .where(ParticipantProfile.id == profile.id)
        .with_for_update()
    )


def apply(user: User, profile: ParticipantProfile, posting: Posting, motivation: str):
    if profile.user_id != user.id:
        raise NotAllowed
    _lock_for_counting(profile)
    problem = apply_problem(profile, posting)
    if problem:
        raise Problem(problem)
    application = Application(
        participant=profile, posting=posting, motivation=motivation.strip(), status=None
    )
    db.session.add(application)
    try:
        _take(user, application, "submit")
    except sa.exc.IntegrityError as error:
        db.session.rollback()
        raise Problem(_("You have already applied to this posting.")) from error
    notify(
        staff_of(posting.organisation),
        lambda: _("A new application for %(title)s.", title=posting.title),
        link=path_for("applications.for_posting", posting_id=posting.id),
    )
    db.session.commit()
    return application


def withdraw(user: User, application: Application) -> None:
    _take(user, application, "withdraw")
    notify(
        staff_of(application.posting.organisation),
        lambda: _("An applicant withdrew from %(title)s.", title=application.posting.title),
        link=_link(application),
    )
    db.session.commit()


# The employer's steps ---------------------------------------------------------------------------


def shortlist(actor: User, application: Application) -> None:
    _take(actor, application, "shortlist")
    notify(
        [application.participant.user],
        lambda: _("You are on the shortlist for %(title)s.", title=application.posting.title),
        link=_link(application),
    )
    db.session.commit()


def decline(actor: User, application: Application, reason: DeclineReason, note: str) -> None:
    _take(actor, application, "decline", reason.value)
    application.decline_reason, application.decline_note = reason, note.strip()[:1000]
    notify(
        [application.participant.user],
        lambda: _(
            "Thank you for applying to %(title)s. This time the answer is no: %(reason)s",
            title=application.posting.title,
            reason=reason.label,
        ),
        link=_link(application),
    )
    db.session.commit()


def may_mentor_at(
    posting: Posting | type[Posting], *, any_organisation: bool = False
) -> sa.ColumnElement[bool]:
    """The condition on ``MentorProfile`` for the mentors who may be named for the posting:
    approved, not paused, with a weekly time during the posting's dates, and confirmed at the
    posting's organisation (unless ``any_organisation``). ``posting`` is one posting, or the
    ``Posting`` entity itself, to judge each posting of the query the condition joins."""
    conditions = [
        MentorProfile.status == MentorStatus.APPROVED,
        MentorProfile.paused.is_(False),
        sa.select(AvailabilityWindow.id)
        .where(
            AvailabilityWindow.profile_id == MentorProfile.id,
            AvailabilityWindow.valid_from <= sa.func.coalesce(posting.end_date, posting.start_date),
            AvailabilityWindow.valid_until >= posting.start_date,
        )
        .exists(),
    ]
    if not any_organisation:
        conditions += [
            MentorProfile.organisation_id == posting.organisation_id,
            MentorProfile.organisation_confirmed.is_(True),
        ]
    return sa.and_(*conditions)


def mentor_choices(actor: User, application: Application) -> list[MentorProfile]:
    """Mentors who may be named in the offer (``may_mentor_at``) with a free place: the
    employer's own (confirmed) mentors, or any of the site's when a coordinator proposes."""
    posting = application.posting
    query = (
        sa.select(MentorProfile)
        .where(
            MentorProfile.site_id == posting.site_id,
            MentorProfile.active_mentees < MentorProfile.max_mentees,
            may_mentor_at(posting, any_organisation=is_coordinator_for(actor, application)),
        )
        .order_by(MentorProfile.id)
    )
    return list(db.session.scalars(query))


# The participant is asked to answer within a week, or before the first day if that is sooner.
ANSWER_WITHIN = timedelta(days=7)


def site_today(application: Application) -> date:
    """Today on the calendar of the posting's site, where the offer's dates are counted."""
    return today_at(application.posting.site)


def default_answer_by(start: date, today: date) -> date | None:
    """A week from today, or the start date when the place starts sooner. None when the start
    has passed: no day is both today or later and no later than the start."""
    if start < today:
        return None
    return min(today + ANSWER_WITHIN, start)


def answer_by_problem(answer_by: date | None, start: date | None, today: date) -> str | None:
    """Why the day the participant is asked to answer by cannot be used, or None."""
    if answer_by is None:
        return None
    if answer_by < today:
        return _("This date is in the past. Please choose today or a later day.")
    if start is not None and answer_by > start:
        return _(
            "This date is after the start date. Please choose the start date or an earlier day."
        )
    return None


@dataclass(frozen=True)
class OfferTerms:
    """What is offered: the participant reads these before accepting."""

    start_date: date
    end_date: date | None
    hours_per_week: int
    place: str
    contact: str
    message: str = ""
    answer_by: date | None = None

    def problem(self, today: date) -> str | None:
        if self.end_date is not None and self.end_date < self.start_date:
            return _("The end date cannot be before the start date.")
        if not 1 <= self.hours_per_week <= 60:
            return _("Enter a whole number from 1 to 60.")
        return answer_by_problem(self.answer_by, self.start_date, today)


def place_of(posting: Posting) -> str:
    """The posting's address, with its city unless the address already names it."""
    if posting.city and posting.city.casefold() not in posting.location.casefold():
        return f"{posting.location}, {posting.city}"
    return posting.location


def proposed_terms(actor: User, application: Application) -> OfferTerms:
    """The terms the offer form starts from: those already offered, else the posting's, with
    the person making the offer as the contact. An answer-by day that has passed (the offer is
    being sent again with another mentor) is replaced by a new one."""
    today = site_today(application)
    if application.has_offer_terms:
        terms = terms_of(application)
        if answer_by_problem(terms.answer_by, None, today):
            terms = replace(terms, answer_by=default_answer_by(terms.start_date, today))
        return terms
    posting = application.posting
    return OfferTerms(
        start_date=posting.start_date,
        end_date=posting.end_date,
        hours_per_week=posting.hours_per_week,
        place=place_of(posting)[:200],
        contact=f"{actor.display_name}, {actor.email}"[:200],
        answer_by=default_answer_by(posting.start_date, today),
    )


def terms_of(application: Application) -> OfferTerms | None:
    if not application.has_offer_terms:
        return None
    return OfferTerms(
        start_date=application.offer_start_date,
        end_date=application.offer_end_date,
        hours_per_week=application.offer_hours_per_week,
        place=application.offer_place,
        contact=application.offer_contact,
        message=application.offer_message,
        answer_by=application.offer_answer_by,
    )


def _store_terms(application: Application, terms: OfferTerms) -> None:
    application.offer_start_date = terms.start_date
    application.offer_end_date = terms.end_date
    application.offer_hours_per_week = terms.hours_per_week
    application.offer_place = terms.place.strip()
    application.offer_contact = terms.contact.strip()
    application.offer_message = terms.message.strip()
    application.offer_answer_by = terms.answer_by


def offer(
    actor: User,
    application: Application,
    mentor: MentorProfile | None,
    terms: OfferTerms | None = None,
) -> None:
    """Offer the place on the given terms (the posting's when none are given); a mentoring
    posting's offer names a mentor, who then answers. Offering again with another mentor (after
    a mentor declined) keeps the offer and renames the mentor."""
    mentoring = application.posting.kind == PostingKind.MENTORING
    renaming = mentoring and application.status == Status.OFFERED
    WORKFLOW.check(actor, application, "change_mentor" if renaming else "offer")
    if mentoring and (
        mentor is None or mentor.id not in {m.id for m in mentor_choices(actor, application)}
    ):
        raise Problem(_("Please choose a mentor who has a free place and time."))
    terms = terms or proposed_terms(actor, application)
    problem = terms.problem(site_today(application))
    if problem:
        raise Problem(problem)
    _store_terms(application, terms)
    if renaming:
        audit.record(
            "application.mentor_changed",
            actor=actor,
            obj=application,
            site_id=application.posting.site_id,
        )
    else:
        _take(actor, application, "offer")
    application.mentor = mentor if mentoring else None
    application.mentor_response = MentorResponse.PENDING if mentoring else None
    application.mentor_decline_reason = None
    notify(
        [application.participant.user], lambda: _offer_text(application), link=_link(application)
    )
    if mentoring:
        notify([mentor.user], lambda: _mentor_request_text(application), link=_link(application))
    db.session.commit()


def _offer_text(application: Application) -> str:
    title = application.posting.title
    if application.offer_answer_by is None:
        return _("You have an offer for %(title)s. Please accept or decline it.", title=title)
    # A date never ends a sentence: some languages' dates end with a full stop already.
    return _(
        "You have an offer for %(title)s. Please accept or decline it. Answer by: %(date)s",
        title=title,
        date=format_date(application.offer_answer_by, "medium"),
    )


def _mentor_request_text(application: Application) -> str:
    """What the named mentor is asked, with the offer's terms: they answer from the message. (A
    date never ends a sentence: some languages' dates end with a full stop already.)"""
    details = {
        "title": application.posting.title,
        "organisation": application.posting.organisation.name,
        "start": format_date(application.offer_start_date, "medium"),
        "hours": application.offer_hours_per_week,
        "place": application.offer_place,
    }
    if application.offer_end_date is None:
        return _(
            "You are asked to mentor a participant at %(title)s, %(organisation)s. Please "
            "answer. Hours per week: %(hours)s. Place: %(place)s. From %(start)s, no end date yet",
            **details,
        )
    return _(
        "You are asked to mentor a participant at %(title)s, %(organisation)s. Please "
        "answer. Hours per week: %(hours)s. Place: %(place)s. Dates: %(start)s – %(end)s",
        end=format_date(application.offer_end_date, "medium"),
        **details,
    )


def mentor_answer(
    user: User, application: Application, accept: bool, reason: MentorDeclineReason | None = None
) -> None:
    _take(user, application, "mentor_answer")
    application.mentor_response = MentorResponse.ACCEPTED if accept else MentorResponse.DECLINED
    application.mentor_decline_reason = None if accept else (reason or MentorDeclineReason.OTHER)
    audit.record(
        "application.mentor_accepted" if accept else "application.mentor_declined",
        actor=user,
        obj=application,
        site_id=application.posting.site_id,
        summary="" if accept else application.mentor_decline_reason.value,
    )
    if not accept:
        notify(
            staff_of(application.posting.organisation)
            + coordinators_of(application.posting.site_id),
            lambda: _(
                "The mentor declined for %(title)s. Please choose another mentor.",
                title=application.posting.title,
            ),
            link=_link(application),
        )
    db.session.commit()


# The participant's answer -----------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerAwaited:
    """The day the participant is asked to answer an open offer by."""

    by: date
    overdue: bool


def answer_awaited(application: Application) -> AnswerAwaited | None:
    """While the offer waits for the participant: the day asked, and whether it has passed.

    A day that has passed does not close the offer. The participant may still accept or
    decline, because a late answer (a slow phone, an exam week) should not cost a place the
    employer still holds for them; an employer who cannot wait declines the application with a
    reason, which the participant is told."""
    if application.status != Status.OFFERED or application.offer_answer_by is None:
        return None
    return AnswerAwaited(
        application.offer_answer_by, application.offer_answer_by < site_today(application)
    )


def accept_offer(user: User, application: Application) -> None:
    _take(user, application, "accept")
    notify(
        coordinators_of(application.posting.site_id),
        lambda: _(
            "An offer was accepted and waits for your approval: %(title)s",
            title=application.posting.title,
        ),
        link=_link(application),
    )
    db.session.commit()


def decline_offer(user: User, application: Application) -> None:
    _take(user, application, "decline_offer")
    notify(
        staff_of(application.posting.organisation),
        lambda: _(
            "The applicant declined your offer for %(title)s.", title=application.posting.title
        ),
        link=_link(application),
    )
    db.session.commit()


# The coordinator's approval ---------------------------------------------------------------------


def return_to_offered(actor: User, application: Application, comment: str) -> None:
    WORKFLOW.check(actor, application, "return")
    if not comment.strip():
        raise Problem(_("Please write a comment: say what must change."))
    _take(actor, application, "return", comment)
    application.coordinator_comment = comment.strip()
    people = [application.participant.user, *staff_of(application.posting.organisation)]
    notify(
        people,
        lambda: _(
            "The coordinator returned the offer for %(title)s. Comment: %(comment)s",
            title=application.posting.title,
            comment=comment,
        ),
        link=_link(application),
    )
    db.session.commit()


def _planned_hours(start: date, end: date | None, hours_per_week: int) -> int:
    if end is None:
        return hours_per_week * 12  # an open-ended placement is planned a term ahead
    weeks = math.ceil(((end - start).days + 1) / 7)
    return hours_per_week * max(weeks, 1)


def approve(actor: User, application: Application) -> Placement:
    """Make the match a placement, taking one place of the posting and one of the mentor.

    The places are taken with UPDATE … WHERE filled < seats: of many approvals at the same
    instant, the database lets only as many through as there are places, on every database.
    """
    WORKFLOW.check(actor, application, "approve")
    posting = application.posting
    mentor = application.mentor if posting.kind == PostingKind.MENTORING else None
    if posting.kind == PostingKind.MENTORING and (
        mentor is None or application.mentor_response != MentorResponse.ACCEPTED
    ):
        raise Problem(_("The mentor has not accepted yet."))
    _take(actor, application, "approve")
    took_place = db.session.execute(
        sa.update(Posting)
        .where(Posting.id == posting.id, Posting.filled_seats < Posting.seats)
        .values(filled_seats=Posting.filled_seats + 1)
    ).rowcount
    if took_place != 1:
        db.session.rollback()
        raise CapacityReached(_("This posting is full: every place is taken."))
    if mentor is not None:
        took_mentor = db.session.execute(
            sa.update(MentorProfile)
            .where(
                MentorProfile.id == mentor.id,
                MentorProfile.active_mentees < MentorProfile.max_mentees,
            )
            .values(active_mentees=MentorProfile.active_mentees + 1)
        ).rowcount
        if took_mentor != 1:
            db.session.rollback()
            raise CapacityReached(_("This mentor has no free place any more."))
    # The placement runs on the terms the participant accepted (the posting's, for an offer
    # made before offers had terms). Hours per week, place and contact stay on the application,
    # where the placement's page reads them.
    terms = terms_of(application) or proposed_terms(actor, application)
    placement = Placement(
        application_id=application.id,
        participant_id=application.participant_id,
        posting_id=posting.id,
        organisation_id=posting.organisation_id,
        mentor_id=mentor.id if mentor else None,
        site_id=posting.site_id,
        planned_hours=_planned_hours(terms.start_date, terms.end_date, terms.hours_per_week),
        start_date=terms.start_date,
        end_date=terms.end_date,
    )
    db.session.add(placement)
    try:
        db.session.flush()
    except sa.exc.IntegrityError as error:
        db.session.rollback()
        raise Problem(_("This application is already approved.")) from error
    people = [application.participant.user, *staff_of(posting.organisation)]
    if mentor is not None:
        people.append(mentor.user)
    notify(
        people,
        lambda: _("The placement is approved: %(title)s.", title=posting.title),
        link=path_for("placements.show", placement_id=placement.id),
    )
    _close_when_full(posting)
    db.session.commit()
    return placement


def _close_when_full(posting: Posting) -> None:
    """In the approval's own transaction: a published posting whose last place was just taken
    closes (its waiting applications expire). One its owner already closed stays as it is."""
    db.session.refresh(posting, ["filled_seats", "status"])
    if posting.status == PostingStatus.PUBLISHED and posting.filled_seats >= posting.seats:
        from marketplace.postings.services import ClosedReason, close

        close(None, posting, ClosedReason.FILLED)


def expire_open_for(posting: Posting) -> None:
    """When a posting closes, its submitted and shortlisted applications expire."""
    waiting = db.session.scalars(
        sa.select(Application).where(
            Application.posting_id == posting.id,
            Application.status.in_([Status.SUBMITTED, Status.SHORTLISTED]),
        )
    )
    for application in waiting:
        _take(None, application, "expire")
        notify(
            [application.participant.user],
            lambda a=application: _(
                "%(title)s is closed, so your application has expired.", title=a.posting.title
            ),
            link=_link(application),
        )


# Queries ----------------------------------------------------------------------------------------


def placement_id_for(application: Application) -> int | None:
    return db.session.scalar(
        sa.select(Placement.id).where(Placement.application_id == application.id)
    )


def of_participant(profile: ParticipantProfile) -> sa.Select:
    """The participant's applications, most recently changed first, with what the list shows."""
    return (
        sa.select(Application)
        .where(Application.participant_id == profile.id)
        .order_by(Application.updated_at.desc(), Application.id.desc())
        .options(sa.orm.joinedload(Application.posting).joinedload(Posting.organisation))
    )


def for_posting(posting: Posting) -> sa.Select:
    """A posting's applicants, oldest first, each card's profile loaded with the page."""
    profile = sa.orm.joinedload(Application.participant)
    return (
        sa.select(Application)
        .where(Application.posting_id == posting.id)
        .order_by(Application.created_at, Application.id)
        .options(
            profile.selectinload(ParticipantProfile.languages),
            profile.selectinload(ParticipantProfile.interests),
            profile.selectinload(ParticipantProfile.support),
        )
    )


@dataclass(frozen=True)
class LanguageShortfall:
    """A required language the applicant speaks below the posting's level (``has`` None: not
    at all)."""

    language: str
    needed: CefrLevel
    has: CefrLevel | None


def language_shortfalls(posting: Posting, profile: ParticipantProfile) -> list[LanguageShortfall]:
    """The posting's required languages the participant does not reach, from the languages
    already loaded with the profile (the site's local language also counts at its own level)."""
    spoken = spoken_levels(profile, posting.site.local_locale)
    return [
        LanguageShortfall(required.language, required.min_level, spoken.get(required.language))
        for required in posting.languages
        if required.language not in spoken
        or spoken[required.language].rank < required.min_level.rank
    ]


def language_fit_of(posting: Posting, applications: list[Application]) -> dict[int, list]:
    """Each application's language shortfalls (empty: meets every level), by application id."""
    return {
        application.id: language_shortfalls(posting, application.participant)
        for application in applications
    }


def applicant_counts(postings: list[Posting]) -> dict[int, int]:
    """How many applied to each of these postings, counted in one grouped query."""
    rows = db.session.execute(
        sa.select(Application.posting_id, sa.func.count(Application.id))
        .where(Application.posting_id.in_([posting.id for posting in postings]))
        .group_by(Application.posting_id)
    )
    return {posting_id: count for posting_id, count in rows}


def waiting_count(posting: Posting) -> int:
    """Applications still waiting for the employer's answer (they expire when it closes)."""
    return db.session.scalar(
        sa.select(sa.func.count(Application.id)).where(
            Application.posting_id == posting.id,
            Application.status.in_([Status.SUBMITTED, Status.SHORTLISTED]),
        )
    )


def applicant_count(posting: Posting) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Application.id)).where(Application.posting_id == posting.id)
    )


def waiting_for_approval(site_ids: set[int] | None) -> sa.Select:
    query = sa.select(Application).join(Posting).where(Application.status == Status.ACCEPTED)
    if site_ids is not None:
        query = query.where(Posting.site_id.in_(site_ids))
    return query.order_by(Application.updated_at, Application.id).options(
        sa.orm.joinedload(Application.posting).joinedload(Posting.organisation)
    )


def for_mentor(profile: MentorProfile) -> sa.Select:
    """Applications whose offer names this mentor and is still open, newest change first, with
    the mentee's card and the posting loaded with the page."""
    mentee = sa.orm.joinedload(Application.participant)
    return (
        sa.select(Application)
        .where(
            Application.mentor_id == profile.id,
            Application.status.in_([Status.OFFERED, Status.ACCEPTED]),
        )
        .order_by(Application.updated_at.desc(), Application.id.desc())
        .options(
            sa.orm.joinedload(Application.posting).joinedload(Posting.organisation),
            mentee.selectinload(ParticipantProfile.languages),
            mentee.selectinload(ParticipantProfile.interests),
            mentee.selectinload(ParticipantProfile.support),
        )
    )


def _decline_reason_of(application: Application) -> str:
    return (application.mentor_decline_reason or MentorDeclineReason.OTHER).label


def mentor_answer_text(application: Application) -> str:
    """The named mentor's answer, in words, for everyone who follows the application."""
    if application.mentor_response == MentorResponse.ACCEPTED:
        return _("the mentor has accepted")
    if application.mentor_response == MentorResponse.DECLINED:
        return _("the mentor has declined: %(reason)s", reason=_decline_reason_of(application))
    return _("waiting for the mentor's answer")


@dataclass(frozen=True)
class Proposal:
    """A row of the mentor's list: the mentee, the posting, the terms and the mentor's answer."""

    application: Application
    terms: OfferTerms | None
    answered: bool
    answer: str


def proposals(applications: list[Application]) -> list[Proposal]:
    """The rows of the mentor's list of proposed mentees, from applications already loaded."""
    rows = []
    for application in applications:
        if application.mentor_response == MentorResponse.ACCEPTED:
            answer = _("You said yes")
        elif application.mentor_response == MentorResponse.DECLINED:
            answer = _("You said no: %(reason)s", reason=_decline_reason_of(application))
        else:
            answer = _("Waiting for your answer")
        rows.append(
            Proposal(application, terms_of(application), not _mentor_to_answer(application), answer)
        )
    return rows
