"""Each person's to-do list: what waits for them, most urgent first, each item linking to the page
where it is done.

Every role's part is a fixed number of queries (counts and short lists), whatever the amount of
data, because the menu's badge asks for the total on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _
from flask_babel import ngettext

from marketplace import page_cache
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.applications.models import Application, ApplicationStatus, MentorResponse
from marketplace.authz import coordinated_sites
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.i18n import format_date, translated
from marketplace.links import path_for
from marketplace.matching.ranking import applicants_to_rank, choices_to_rank
from marketplace.matching.rounds import drafts_waiting
from marketplace.mentors.models import MentorProfile, Unavailability
from marketplace.mentors.models import ProfileStatus as MentorStatus
from marketplace.organisations.models import OrganisationMember
from marketplace.page_cache import versions
from marketplace.participants.models import ParticipantProfile
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.placements.models import (
    MentoringSession,
    Placement,
    PlacementStatus,
    SessionStatus,
)
from marketplace.plans import services as plans
from marketplace.plans.models import Plan, PlanVersion, VersionStatus
from marketplace.postings.models import Posting, PostingStatus
from marketplace.privacy import erasure
from marketplace.questionnaires import services as questionnaires
from marketplace.review import services as review
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site

# How far ahead "soon" reaches, and how long an active placement may go without a session.
SOON = timedelta(days=14)
QUIET = timedelta(days=14)
# A logged session the participant has not answered for this long needs a coordinator's nudge.
UNANSWERED = timedelta(days=7)
# Lists of single things (offers, proposals, placements) show at most this many rows.
SHOWN = 10

# Urgency: lower comes first.
OVERDUE, ANSWER_NOW, THIS_WEEK, ROUTINE, WAITING = 5, 10, 20, 30, 90


@dataclass(frozen=True)
class TodoItem:
    label: str
    link: str
    count: int = 1
    urgency: int = ROUTINE
    detail: str = ""
    # Something others are doing for the person: shown, but not counted in the menu's badge.
    waiting: bool = False
    # Ongoing work rather than a task (a goal of the plan): shown, but not counted either.
    counted: bool = True
    # Its day has passed: shown with an "Overdue" mark.
    overdue: bool = False


def todo_items(user: User) -> list[TodoItem]:
    """What ``user`` has to do now, across every role they hold, most urgent first."""
    items: list[TodoItem] = []
    if user.has_role(Role.PARTICIPANT):
        items += participant_items(user)
    if user.has_role(Role.MENTOR):
        items += mentor_items(user)
    if user.has_role(Role.EMPLOYER_STAFF):
        items += staff_items(user)
    if user.has_role(Role.COORDINATOR, Role.SUPER_ADMIN):
        items += coordinator_items(user)
    return sorted(items, key=lambda item: item.urgency)


def todo_count(user: User) -> int:
    """The number shown next to "Dashboard" in the menu, computed once per request, or copied
    from an earlier request while nothing has changed (page_cache)."""
    if "todo_count" not in g:
        g.todo_count = page_cache.remembered(
            "to-do counts",
            (user.id,),
            versions.ANY,
            lambda: sum(
                item.count for item in todo_items(user) if item.counted and not item.waiting
            ),
        )
    return g.todo_count


def _today(site: Site | None) -> date:
    return today_at(site) if site is not None else datetime.now(UTC).date()


def _day_starts(site: Site | None, day: date) -> datetime:
    zone = site.zone if site is not None else UTC
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


# Participant --------------------------------------------------------------------------------------


def profile_step(user: User, profile: ParticipantProfile | None) -> TodoItem | None:
    """The next step of the profile, with its place in the path: profile, questionnaire, sending."""
    if profile is None:
        questionnaire = questionnaires.current(user.site_id) if user.site_id else None
        total = 3 if questionnaire is not None else 2
        return _step(_("Complete your profile."), "participants.edit_profile", 1, total)
    if profile.status not in {ParticipantStatus.DRAFT, ParticipantStatus.CHANGES_REQUESTED}:
        if profile.status == ParticipantStatus.SUBMITTED:
            return TodoItem(
                _("Wait for the interview. The coordinator will contact you."),
                path_for("participants.mine"),
                urgency=WAITING,
                waiting=True,
            )
        return None
    questionnaire = questionnaires.current(profile.site_id)
    if questionnaire is None:
        return _step(_("Send your profile to the coordinator."), "participants.mine", 2, 2)
    response = questionnaires.latest_response(profile.id)
    if response is None or response.submitted_at is None:
        return _step(_("Fill in the questionnaire."), "participants.questionnaire", 2, 3)
    return _step(_("Send your profile to the coordinator."), "participants.mine", 3, 3)


def _step(label: str, endpoint: str, step: int, total: int) -> TodoItem:
    return TodoItem(
        label,
        path_for(endpoint),
        urgency=THIS_WEEK,
        detail=_("Step %(step)s of %(total)s", step=step, total=total),
    )


def participant_items(user: User) -> list[TodoItem]:
    profile = db.session.scalar(
        sa.select(ParticipantProfile).where(ParticipantProfile.user_id == user.id)
    )
    step = profile_step(user, profile)
    items = [step] if step is not None else []
    if profile is None:
        return items
    items += offer_items(profile)
    items += [
        TodoItem(
            _("Rank your choices for the matching round %(name)s", name=name),
            path_for("matching.my_choices", round_id=round_id),
            urgency=THIS_WEEK,
        )
        for round_id, name in choices_to_rank(profile)
    ]
    plan_item = plan_step(user, profile)
    if plan_item is not None:
        items.append(plan_item)
    to_confirm, placement_id = db.session.execute(
        sa.select(sa.func.count(MentoringSession.id), sa.func.min(Placement.id))
        .join(Placement, MentoringSession.placement_id == Placement.id)
        .where(
            Placement.participant_id == profile.id,
            MentoringSession.status == SessionStatus.LOGGED,
        )
    ).one()
    if to_confirm:
        items.append(
            TodoItem(
                ngettext(
                    "Confirm or dispute %(num)s mentoring session",
                    "Confirm or dispute %(num)s mentoring sessions",
                    to_confirm,
                ),
                path_for("placements.show", placement_id=placement_id),
                count=to_confirm,
                urgency=ANSWER_NOW,
            )
        )
    tomorrow = _today(profile.site) + timedelta(days=1)
    events = db.session.execute(
        sa.select(Event.id, Event.title, Event.title_translations)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(
            Rsvp.user_id == user.id,
            Event.starts_at >= _day_starts(profile.site, tomorrow),
            Event.starts_at < _day_starts(profile.site, tomorrow + timedelta(days=1)),
        )
        .order_by(Event.starts_at)
        .limit(SHOWN)
    )
    for event_id, title, title_translations in events:
        items.append(
            TodoItem(
                _("Tomorrow: %(title)s", title=translated(title, title_translations)),
                path_for("events.show", event_id=event_id),
                urgency=THIS_WEEK,
            )
        )
    waiting = db.session.scalar(
        sa.select(sa.func.count(Application.id)).where(
            Application.participant_id == profile.id,
            Application.status.in_(
                [
                    ApplicationStatus.SUBMITTED,
                    ApplicationStatus.SHORTLISTED,
                    ApplicationStatus.ACCEPTED,
                ]
            ),
        )
    )
    if waiting:
        items.append(
            TodoItem(
                ngettext(
                    "%(num)s application is waiting for an answer",
                    "%(num)s applications are waiting for an answer",
                    waiting,
                ),
                path_for("applications.mine"),
                count=waiting,
                urgency=WAITING,
                waiting=True,
            )
        )
    return items


def offer_items(profile: ParticipantProfile) -> list[TodoItem]:
    """Offers to answer, those with the earliest answer-by day first. A day that has passed
    marks the offer overdue; it stays open and answerable (see ``answer_awaited``)."""
    offers = db.session.execute(
        sa.select(Application.id, Posting.title, Application.offer_answer_by, Site)
        .join(Posting, Application.posting_id == Posting.id)
        .join(Site, Posting.site_id == Site.id)
        .where(
            Application.participant_id == profile.id,
            Application.status == ApplicationStatus.OFFERED,
        )
        .order_by(
            Application.offer_answer_by.is_(None),
            Application.offer_answer_by,
            Application.updated_at,
            Application.id,
        )
        .limit(SHOWN)
    )
    items = []
    for application_id, title, answer_by, site in offers:
        link = path_for("applications.show", application_id=application_id)
        if answer_by is None:
            items.append(
                TodoItem(_("Answer the offer for %(title)s", title=title), link, urgency=ANSWER_NOW)
            )
            continue
        # The day is the posting's site's, as on the offer's page.
        overdue = answer_by < _today(site)
        items.append(
            TodoItem(
                _(
                    "Answer the offer for %(title)s by %(date)s",
                    title=title,
                    date=format_date(answer_by, "medium"),
                ),
                link,
                urgency=OVERDUE if overdue else ANSWER_NOW,
                detail=_("The date has passed, but the offer is still open. Please answer now.")
                if overdue
                else "",
                overdue=overdue,
            )
        )
    return items


def plan_step(user: User, profile: ParticipantProfile) -> TodoItem | None:
    """The next step of the individual plan: agreeing to a proposed version, else working on the
    next goal. A goal is counted in the badge only once its target date has passed."""
    plan = plans.plan_of(profile)
    link = path_for("plans.show", profile_id=profile.id)
    if plans.to_agree(user, plan) is not None:
        return TodoItem(_("Read and agree to your plan"), link, urgency=ANSWER_NOW)
    goal = plans.next_goal(plan)
    if goal is None:
        return None
    overdue = goal.target_date < _today(profile.site)
    target = format_date(goal.target_date, "medium")
    return TodoItem(
        _("Next goal of your plan: %(goal)s", goal=goal.text),
        link,
        urgency=THIS_WEEK if overdue else ROUTINE,
        detail=_("The target date has passed: %(date)s", date=target)
        if overdue
        else _("Target date: %(date)s", date=target),
        counted=overdue,
        overdue=overdue,
    )


# Mentor -------------------------------------------------------------------------------------------


def mentor_items(user: User) -> list[TodoItem]:
    profile = db.session.scalar(sa.select(MentorProfile).where(MentorProfile.user_id == user.id))
    if profile is None:
        return [
            TodoItem(
                _("Write your mentor profile."), path_for("mentors.edit_profile"), urgency=ROUTINE
            )
        ]
    items = []
    if profile.status in {MentorStatus.DRAFT, MentorStatus.CHANGES_REQUESTED}:
        items.append(
            TodoItem(
                _("Finish your mentor profile and send it."),
                path_for("mentors.mine"),
                urgency=THIS_WEEK,
            )
        )
    proposals = db.session.execute(
        sa.select(Application, Posting.title, User.display_name)
        .join(Posting, Application.posting_id == Posting.id)
        .join(ParticipantProfile, Application.participant_id == ParticipantProfile.id)
        .join(User, ParticipantProfile.user_id == User.id)
        .where(
            Application.mentor_id == profile.id,
            Application.status.in_([ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED]),
            Application.mentor_response == MentorResponse.PENDING,
        )
        .order_by(Application.updated_at, Application.id)
        .limit(SHOWN)
    )
    for application, title, name in proposals:
        if application.identity_disclosed:
            label = _("Answer the proposal: %(name)s for %(title)s", name=name, title=title)
        else:
            label = _("Answer the proposal: a participant for %(title)s", title=title)
        items.append(TodoItem(label, path_for("applications.mentoring"), urgency=ANSWER_NOW))
    today = _today(profile.site)
    recent_session = (
        sa.select(MentoringSession.id)
        .where(
            MentoringSession.placement_id == Placement.id,
            MentoringSession.held_on > today - QUIET,
        )
        .exists()
    )
    quiet = db.session.execute(
        sa.select(Placement.id, User.display_name)
        .join(ParticipantProfile, Placement.participant_id == ParticipantProfile.id)
        .join(User, ParticipantProfile.user_id == User.id)
        .where(
            Placement.mentor_id == profile.id,
            Placement.status == PlacementStatus.ACTIVE,
            Placement.start_date <= today - QUIET,
            ~recent_session,
        )
        .order_by(Placement.start_date, Placement.id)
        .limit(SHOWN)
    )
    for placement_id, name in quiet:
        items.append(
            TodoItem(
                _("Log a session with %(name)s", name=name),
                path_for("placements.show", placement_id=placement_id),
                urgency=THIS_WEEK,
                detail=_("No session logged in the last 14 days."),
            )
        )
    away = db.session.execute(
        sa.select(Unavailability.starts_on, Unavailability.ends_on)
        .where(
            Unavailability.profile_id == profile.id,
            Unavailability.ends_on >= today,
            Unavailability.starts_on <= today + SOON,
        )
        .order_by(Unavailability.starts_on)
        .limit(SHOWN)
    )
    for starts_on, ends_on in away:
        items.append(
            TodoItem(
                _(
                    "You are away from %(start)s to %(end)s: tell your mentees.",
                    start=format_date(starts_on, "medium"),
                    end=format_date(ends_on, "medium"),
                ),
                path_for("mentors.mine"),
                urgency=ROUTINE,
                waiting=True,
            )
        )
    return items


# Employer staff -----------------------------------------------------------------------------------


def _staff_organisations(user: User):
    return sa.select(OrganisationMember.organisation_id).where(
        OrganisationMember.user_id == user.id, OrganisationMember.approved.is_(True)
    )


def staff_items(user: User) -> list[TodoItem]:
    organisations = _staff_organisations(user)
    items = []
    rows = db.session.execute(
        sa.select(
            Posting.id,
            Posting.title,
            Application.status,
            sa.func.count(Application.id),
            sa.func.min(Application.offer_answer_by),
            Site,
        )
        .join(Application, Application.posting_id == Posting.id)
        .join(Site, Posting.site_id == Site.id)
        .where(
            Posting.organisation_id.in_(organisations),
            Application.status.in_([ApplicationStatus.SUBMITTED, ApplicationStatus.OFFERED]),
        )
        .group_by(Posting.id, Posting.title, Application.status, Site.id)
        .order_by(Posting.id)
    )
    for posting_id, title, status, count, first_answer_by, site in rows:
        link = path_for("applications.for_posting", posting_id=posting_id)
        if status == ApplicationStatus.SUBMITTED:
            items.append(
                TodoItem(
                    ngettext(
                        "%(num)s new applicant for %(title)s",
                        "%(num)s new applicants for %(title)s",
                        count,
                        title=title,
                    ),
                    link,
                    count=count,
                    urgency=ANSWER_NOW,
                )
            )
        else:
            items.append(
                TodoItem(
                    ngettext(
                        "%(num)s offer for %(title)s waits for the participant's answer",
                        "%(num)s offers for %(title)s wait for the participants' answers",
                        count,
                        title=title,
                    ),
                    link,
                    count=count,
                    urgency=WAITING,
                    detail=_answer_asked_by(first_answer_by, count),
                    waiting=True,
                    overdue=first_answer_by is not None and first_answer_by < _today(site),
                )
            )
    for round_posting_id, title, unranked in applicants_to_rank(organisations, SHOWN):
        items.append(
            TodoItem(
                ngettext(
                    "Rank your applicants for %(title)s: %(num)s without a number",
                    "Rank your applicants for %(title)s: %(num)s without a number",
                    unranked,
                    title=title,
                ),
                path_for("matching.rank_applicants", round_posting_id=round_posting_id),
                urgency=THIS_WEEK,
            )
        )
    today = _today(user.site)
    ending = db.session.execute(
        sa.select(Placement.id, Placement.end_date, Posting.title)
        .join(Posting, Placement.posting_id == Posting.id)
        .where(
            Placement.organisation_id.in_(organisations),
            Placement.status == PlacementStatus.ACTIVE,
            Placement.end_date >= today,
            Placement.end_date <= today + SOON,
        )
        .order_by(Placement.end_date, Placement.id)
        .limit(SHOWN)
    )
    for placement_id, end_date, title in ending:
        items.append(
            TodoItem(
                _("A placement in %(title)s ends soon", title=title),
                path_for("placements.show", placement_id=placement_id),
                urgency=THIS_WEEK,
                detail=_("Ends on %(date)s", date=format_date(end_date, "medium")),
            )
        )
    outcomes, placement_id = db.session.execute(
        sa.select(sa.func.count(Placement.id), sa.func.min(Placement.id)).where(
            Placement.organisation_id.in_(organisations),
            Placement.status.in_([PlacementStatus.COMPLETED, PlacementStatus.ENDED_EARLY]),
            Placement.outcome.is_(None),
        )
    ).one()
    if outcomes:
        items.append(
            TodoItem(
                ngettext(
                    "Record the outcome of %(num)s ended placement",
                    "Record the outcomes of %(num)s ended placements",
                    outcomes,
                ),
                path_for("placements.show", placement_id=placement_id)
                if outcomes == 1
                else path_for("placements.index"),
                count=outcomes,
                urgency=ROUTINE,
            )
        )
    return items


def _answer_asked_by(first: date | None, offers: int) -> str:
    """The day the participant is asked to answer by; for several offers, the earliest."""
    if first is None:
        return ""
    if offers == 1:
        return _("Answer asked by %(date)s", date=format_date(first, "medium"))
    return _("First answer asked by %(date)s", date=format_date(first, "medium"))


# Coordinator --------------------------------------------------------------------------------------


def coordinator_items(user: User) -> list[TodoItem]:
    counts = review.counts(user)
    queue = [
        (
            "organisations",
            ngettext(
                "%(num)s organisation waits for approval",
                "%(num)s organisations wait for approval",
                counts["organisations"],
            ),
        ),
        (
            "postings",
            ngettext(
                "%(num)s posting waits for review",
                "%(num)s postings wait for review",
                counts["postings"],
            ),
        ),
        (
            "mentors",
            ngettext(
                "%(num)s mentor profile waits for review",
                "%(num)s mentor profiles wait for review",
                counts["mentors"],
            ),
        ),
        (
            "participants",
            ngettext(
                "%(num)s participant waits for the interview and approval",
                "%(num)s participants wait for the interview and approval",
                counts["participants"],
            ),
        ),
    ]
    items = [
        TodoItem(label, path_for("review.queue") + "#" + kind, count=counts[kind])
        for kind, label in queue
        if counts[kind]
    ]
    approvals = review.approvals_waiting(user)
    if approvals:
        items.append(
            TodoItem(
                ngettext(
                    "%(num)s accepted offer waits for your approval",
                    "%(num)s accepted offers wait for your approval",
                    approvals,
                ),
                path_for("applications.approvals"),
                count=approvals,
                urgency=ANSWER_NOW,
            )
        )
    sites = coordinated_sites(user)
    site_rows = list(
        db.session.scalars(
            sa.select(Site) if sites is None else sa.select(Site).where(Site.id.in_(sites))
        )
    )
    disputed, unanswered = _sessions_to_check(sites, site_rows)
    if disputed:
        items.append(
            TodoItem(
                ngettext(
                    "%(num)s mentoring session is disputed",
                    "%(num)s mentoring sessions are disputed",
                    disputed,
                ),
                path_for("placements.sessions_to_check"),
                count=disputed,
                urgency=ANSWER_NOW,
            )
        )
    if unanswered:
        items.append(
            TodoItem(
                ngettext(
                    "%(num)s mentoring session has waited over a week for the participant",
                    "%(num)s mentoring sessions have waited over a week for the participant",
                    unanswered,
                ),
                path_for("placements.sessions_to_check"),
                count=unanswered,
                urgency=ROUTINE,
            )
        )
    items += plan_proposals(sites)
    drafts, first_draft = drafts_waiting(sites)
    if drafts:
        items.append(
            TodoItem(
                ngettext(
                    "%(num)s matching round waits for you to publish it",
                    "%(num)s matching rounds wait for you to publish them",
                    drafts,
                ),
                path_for("matching.show", round_id=first_draft)
                if drafts == 1
                else path_for("matching.index"),
                count=drafts,
                urgency=THIS_WEEK,
            )
        )
    erasures = erasure.pending_count(user)
    if erasures:
        items.append(
            TodoItem(
                ngettext(
                    "%(num)s person asked for their data to be erased",
                    "%(num)s people asked for their data to be erased",
                    erasures,
                ),
                path_for("privacy.requests"),
                count=erasures,
                urgency=THIS_WEEK,
            )
        )
    if site_rows:
        past_deadline = db.session.execute(
            sa.select(Posting.id, Posting.title)
            .where(
                Posting.status == PostingStatus.PUBLISHED,
                sa.or_(
                    *[
                        sa.and_(
                            Posting.site_id == site.id,
                            Posting.application_deadline < _today(site),
                        )
                        for site in site_rows
                    ]
                ),
            )
            .order_by(Posting.application_deadline, Posting.id)
            .limit(SHOWN)
        )
        for posting_id, title in past_deadline:
            items.append(
                TodoItem(
                    _("%(title)s is past its deadline but still published", title=title),
                    path_for("postings.show", posting_id=posting_id),
                    urgency=ROUTINE,
                )
            )
    return items


def plan_proposals(sites: set[int] | None) -> list[TodoItem]:
    """Changes participants proposed to their own plans: they wait for a coordinator's
    agreement (plans.services.version_relations), oldest first."""
    query = (
        sa.select(ParticipantProfile.id, User.display_name)
        .select_from(PlanVersion)
        .join(Plan, PlanVersion.plan_id == Plan.id)
        .join(ParticipantProfile, Plan.participant_id == ParticipantProfile.id)
        .join(User, ParticipantProfile.user_id == User.id)
        .where(
            PlanVersion.status == VersionStatus.PROPOSED,
            PlanVersion.proposed_by_id == ParticipantProfile.user_id,
        )
        .order_by(PlanVersion.proposed_at, PlanVersion.id)
        .limit(SHOWN)
    )
    if sites is not None:
        query = query.where(ParticipantProfile.site_id.in_(sites))
    return [
        TodoItem(
            _("%(name)s proposes a change to their plan", name=name),
            path_for("plans.show", profile_id=profile_id),
            urgency=THIS_WEEK,
        )
        for profile_id, name in db.session.execute(query)
    ]


def _sessions_to_check(sites: set[int] | None, site_rows: list[Site]) -> tuple[int, int]:
    """Disputed sessions, and logged ones the participant has left unanswered for a week."""
    if not site_rows:
        return 0, 0
    old_enough = sa.or_(
        *[
            sa.and_(
                Placement.site_id == site.id,
                MentoringSession.held_on <= _today(site) - UNANSWERED,
            )
            for site in site_rows
        ]
    )
    query = (
        sa.select(
            sa.func.count(MentoringSession.id).filter(
                MentoringSession.status == SessionStatus.DISPUTED
            ),
            sa.func.count(MentoringSession.id).filter(
                MentoringSession.status == SessionStatus.LOGGED, old_enough
            ),
        )
        .select_from(MentoringSession)
        .join(Placement, MentoringSession.placement_id == Placement.id)
        # Only these two statuses are counted; the index on status skips the confirmed ones.
        .where(MentoringSession.status.in_([SessionStatus.DISPUTED, SessionStatus.LOGGED]))
    )
    if sites is not None:
        query = query.where(Placement.site_id.in_(sites))
    disputed, unanswered = db.session.execute(query).one()
    return disputed, unanswered
