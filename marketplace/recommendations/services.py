"""Recommendations in both directions, and mentors for an offer, each with its reasons.

Hard rules (the person could not apply, the posting is not open, the place is not theirs to
take) are conditions in the WHERE clause; the fit that orders what remains is a score the
database computes from the same facts the reasons are written from:

    3 for each work area of the posting that the participant is interested in
    2 for each required language the participant speaks at the level needed
   -3 for each required language they do not (a gap, still shown: they may apply)
    2 a mentoring slot whose organisation has a mentor with free places speaking their language
    2 a mentoring slot for a participant whose plan (or needs assessment) includes mentoring
    2 the posting starts within the dates the participant said they are available
    1 the posting is at the participant's own programme site

Ties go to the posting that starts sooner, then the older posting (lower id). Each page loads in
a fixed number of queries, whatever the number of postings or participants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from babel import Locale
from babel.lists import format_list as babel_format_list
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from marketplace.accounts.models import ConsentRecord, User
from marketplace.applications.models import OPEN_STATUSES, Application
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.languages import CefrLevel, language_name
from marketplace.links import path_for
from marketplace.mentors.models import (
    AvailabilityWindow,
    Expertise,
    MentorLanguage,
    MentorProfile,
)
from marketplace.mentors.models import ProfileStatus as MentorStatus
from marketplace.notifications.services import notify
from marketplace.organisations.services import is_site_coordinator
from marketplace.participants import services as participants
from marketplace.participants.models import (
    ParticipantInterest,
    ParticipantLanguage,
    ParticipantProfile,
    RecommendedSupport,
    Support,
    WorkPermit,
)
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.plans.models import Measure, Plan, PlanMeasure, PlanVersion, VersionStatus
from marketplace.postings.models import Posting, PostingArea, PostingKind, PostingLanguage
from marketplace.postings.services import is_open, open_for_applications
from marketplace.problems import NotAllowed, Problem
from marketplace.recommendations.models import Invitation
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site
from marketplace.sites.services import partner_ids

AREA, LANGUAGE_MET, LANGUAGE_GAP, MENTOR_LANGUAGE, PLAN_MENTORING, DATES, OWN_SITE = (
    3,
    2,
    3,
    2,
    2,
    2,
    1,
)
# Suggestions of participants for a posting: the best few, not a list to page through.
SUGGESTED = 10
# How many candidates of each kind are scored (postings for a participant, participants for a
# posting): enough to find the best, few enough to score in milliseconds at any scale.
CANDIDATES = 250


@dataclass(frozen=True)
class Reason:
    text: str
    # False for a gap the person should know about (a language level they do not reach yet).
    fits: bool = True


@dataclass(frozen=True)
class Recommendation:
    item: object
    reasons: list[Reason] = field(default_factory=list)
    invited: bool = False


def format_list(items: list[str]) -> str:
    """ "English, Latvian and Russian", in the reader's language."""
    return babel_format_list(items, locale=get_locale())


# What the participant brings -------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    profile: ParticipantProfile
    spoken: dict[str, CefrLevel]
    interests: frozenset[Expertise]
    wants_mentoring: bool


def facts_of(profile: ParticipantProfile) -> Facts:
    return Facts(
        profile=profile,
        spoken=participants.spoken_levels(profile, profile.site.local_locale),
        interests=frozenset(item.area for item in profile.interests),
        wants_mentoring=bool(_wanting_mentoring([profile])),
    )


def _wanting_mentoring(profiles: list[ParticipantProfile]) -> set[int]:
    """Those whose agreed plan has mentoring hours, or whose needs assessment recommends it."""
    ids = [profile.id for profile in profiles]
    found = {
        profile.id
        for profile in profiles
        if any(item.kind == Support.MENTORING for item in profile.support)
    }
    found |= set(
        db.session.scalars(
            sa.select(Plan.participant_id)
            .join(PlanVersion, PlanVersion.plan_id == Plan.id)
            .join(PlanMeasure, PlanMeasure.version_id == PlanVersion.id)
            .where(
                Plan.participant_id.in_(ids),
                PlanVersion.status == VersionStatus.AGREED,
                PlanMeasure.measure == Measure.WORKPLACE_MENTORING,
                PlanMeasure.planned_hours > 0,
            )
        )
    )
    return found


def levels_from(level: CefrLevel) -> list[str]:
    """Every level at or above ``level``: a requirement of ``level`` is met by any of them."""
    return [other.value for other in CefrLevel if other.rank >= level.rank]


def levels_up_to(level: CefrLevel) -> list[str]:
    """Every level a speaker at ``level`` reaches."""
    return [other.value for other in CefrLevel if other.rank <= level.rank]


def _requirement_met(spoken: dict[str, CefrLevel]):
    """SQL: this posting_language row is met by someone speaking ``spoken``."""
    return sa.or_(
        sa.false(),
        *(
            sa.and_(
                PostingLanguage.language == language,
                PostingLanguage.min_level.in_(levels_up_to(level)),
            )
            for language, level in sorted(spoken.items())
        ),
    )


def _count(model, *conditions):
    return sa.select(sa.func.count()).select_from(model).where(*conditions).scalar_subquery()


def _mentor_with_place(*conditions):
    """SQL: an approved mentor of the posting's organisation who can take one more mentee."""
    return (
        sa.select(MentorProfile.id)
        .where(
            MentorProfile.organisation_id == Posting.organisation_id,
            MentorProfile.organisation_confirmed.is_(True),
            MentorProfile.status == MentorStatus.APPROVED,
            MentorProfile.paused.is_(False),
            MentorProfile.active_mentees < MentorProfile.max_mentees,
            *conditions,
        )
        .exists()
    )


def _when(condition, points: int):
    return sa.case((condition, points), else_=0)


def posting_fit(facts: Facts):
    """SQL: how well each posting fits the participant (the module docstring's table)."""
    profile, spoken = facts.profile, facts.spoken
    mentoring = Posting.kind == PostingKind.MENTORING
    score = (
        AREA
        * _count(
            PostingArea,
            PostingArea.posting_id == Posting.id,
            PostingArea.area.in_(sorted(facts.interests)),
        )
        + LANGUAGE_MET
        * _count(
            PostingLanguage, PostingLanguage.posting_id == Posting.id, _requirement_met(spoken)
        )
        - LANGUAGE_GAP
        * _count(
            PostingLanguage,
            PostingLanguage.posting_id == Posting.id,
            sa.not_(_requirement_met(spoken)),
        )
        + _when(Posting.site_id == profile.site_id, OWN_SITE)
    )
    if spoken:
        speaks = (
            sa.select(MentorLanguage.id)
            .where(
                MentorLanguage.profile_id == MentorProfile.id,
                MentorLanguage.language.in_(sorted(spoken)),
            )
            .exists()
        )
        score += _when(sa.and_(mentoring, _mentor_with_place(speaks)), MENTOR_LANGUAGE)
    if facts.wants_mentoring:
        score += _when(mentoring, PLAN_MENTORING)
    dates = _within_available(profile, Posting.start_date)
    if dates is not None:
        score += _when(dates, DATES)
    return score


def _within_available(profile: ParticipantProfile, start):
    """SQL (or None when the participant gave no dates): ``start`` is within their dates."""
    if profile.available_from is None and profile.available_until is None:
        return None
    conditions = []
    if profile.available_from:
        conditions.append(start >= profile.available_from)
    if profile.available_until:
        conditions.append(start <= profile.available_until)
    return sa.and_(*conditions)


def _permit_allows(profile: ParticipantProfile):
    if profile.work_permit == WorkPermit.NOT_NEEDED:
        return sa.true()
    if profile.work_permit == WorkPermit.HAS_PERMIT and profile.work_permit_expires_on:
        return sa.or_(
            Posting.work_permit_required.is_(False),
            Posting.start_date <= profile.work_permit_expires_on,
        )
    return Posting.work_permit_required.is_(False)


def open_to(profile: ParticipantProfile, sites: list[Site]):
    """SQL: the hard rules. The posting takes applications, at the participant's site or a
    partner's, they have not applied yet, and a required work permit covers its start."""
    reachable = {profile.site_id} | partner_ids(profile.site_id)
    return sa.and_(
        open_for_applications(sites),
        Posting.site_id.in_(sorted(reachable)),
        ~sa.select(Application.id)
        .where(Application.participant_id == profile.id, Application.posting_id == Posting.id)
        .exists(),
        _permit_allows(profile),
    )


def why_none(profile: ParticipantProfile | None) -> str | None:
    """Why nothing can be recommended to this person now (they could not apply anywhere)."""
    if profile is None or profile.status != ParticipantStatus.APPROVED:
        return _("Postings are suggested for you once a coordinator has approved your profile.")
    problem = participants.eligibility_problem(profile.date_of_birth, profile.site)
    if problem:
        return problem
    limit = profile.site.max_open_applications
    open_now = db.session.scalar(
        sa.select(sa.func.count(Application.id)).where(
            Application.participant_id == profile.id, Application.status.in_(OPEN_STATUSES)
        )
    )
    if open_now >= limit:
        return _(
            "You already have %(num)s open applications, the most at one time. Withdraw one "
            "or wait for an answer.",
            num=limit,
        )
    return None


def _first_ids(query: sa.Select, *order) -> sa.Subquery:
    return query.with_only_columns(Posting.id).order_by(None).order_by(*order).limit(CANDIDATES)


def best_first(query: sa.Select, facts: Facts, sites: list[Site]) -> sa.Select:
    """The postings of ``query`` the participant can apply to, best fit first.

    Only a bounded set of candidates is scored, so the cost does not grow with the number of
    open postings: those starting soonest, and those starting soonest in the participant's
    areas of interest (where most of the score comes from)."""
    allowed = query.where(open_to(facts.profile, sites))
    soonest = _first_ids(allowed, Posting.start_date, Posting.id).subquery()
    candidates = sa.select(soonest.c.id)
    if facts.interests:
        # EXISTS, not IN: the database walks postings by start date and stops early.
        in_areas = allowed.where(
            sa.select(PostingArea.id)
            .where(
                PostingArea.posting_id == Posting.id,
                PostingArea.area.in_(sorted(facts.interests)),
            )
            .exists()
        )
        liked = _first_ids(in_areas, Posting.start_date, Posting.id).subquery()
        candidates = sa.union(candidates, sa.select(liked.c.id))
    # Read first, then scored by id: given a subquery, PostgreSQL scans every posting to join it.
    ids = list(db.session.scalars(candidates))
    return (
        sa.select(Posting)
        .where(Posting.id.in_(ids))
        .order_by(posting_fit(facts).desc(), Posting.start_date, Posting.id)
        .options(*CARD_LOADS)
    )


def recommended_postings(facts: Facts, sites: list[Site], limit: int) -> list[Posting]:
    query = best_first(sa.select(Posting), facts, sites).limit(limit)
    return list(db.session.scalars(query))


CARD_LOADS = (
    sa.orm.joinedload(Posting.organisation),
    sa.orm.joinedload(Posting.site),
    sa.orm.selectinload(Posting.languages),
    sa.orm.selectinload(Posting.areas),
)


# Reasons, for the postings on one page ------------------------------------------------------


def _language_reasons(spoken: dict[str, CefrLevel], posting: Posting, you: bool) -> list[Reason]:
    reasons = []
    for required in posting.languages:
        name, needed = language_name(required.language), required.min_level.label
        has = spoken.get(required.language)
        if has == CefrLevel.NATIVE:
            text = (
                _(
                    "You speak %(language)s as a native speaker — required %(required)s",
                    language=name,
                    required=needed,
                )
                if you
                else _(
                    "Speaks %(language)s as a native speaker — required %(required)s",
                    language=name,
                    required=needed,
                )
            )
            reasons.append(Reason(text))
        elif has is not None and has.rank >= required.min_level.rank:
            text = (
                _(
                    "You speak %(language)s %(level)s — required %(required)s",
                    language=name,
                    level=has.label,
                    required=needed,
                )
                if you
                else _(
                    "Speaks %(language)s %(level)s — required %(required)s",
                    language=name,
                    level=has.label,
                    required=needed,
                )
            )
            reasons.append(Reason(text))
        elif has is not None:
            text = (
                _(
                    "Needs %(language)s %(required)s — you have %(level)s",
                    language=name,
                    required=needed,
                    level=has.label,
                )
                if you
                else _(
                    "Needs %(language)s %(required)s — has %(level)s",
                    language=name,
                    required=needed,
                    level=has.label,
                )
            )
            reasons.append(Reason(text, fits=False))
        else:
            text = (
                _(
                    "Needs %(language)s %(required)s — not among your languages",
                    language=name,
                    required=needed,
                )
                if you
                else _(
                    "Needs %(language)s %(required)s — does not speak it",
                    language=name,
                    required=needed,
                )
            )
            reasons.append(Reason(text, fits=False))
    return reasons


def _mentor_languages(facts: Facts, postings: list[Posting]) -> dict[int, set[str]]:
    """For the organisations of these mentoring slots: the participant's languages that one of
    their mentors with a free place speaks, in one query."""
    organisation_ids = {p.organisation_id for p in postings if p.kind == PostingKind.MENTORING}
    if not organisation_ids or not facts.spoken:
        return {}
    rows = db.session.execute(
        sa.select(MentorProfile.organisation_id, MentorLanguage.language)
        .join(MentorLanguage, MentorLanguage.profile_id == MentorProfile.id)
        .where(
            MentorProfile.organisation_id.in_(sorted(organisation_ids)),
            MentorProfile.organisation_confirmed.is_(True),
            MentorProfile.status == MentorStatus.APPROVED,
            MentorProfile.paused.is_(False),
            MentorProfile.active_mentees < MentorProfile.max_mentees,
            MentorLanguage.language.in_(sorted(facts.spoken)),
        )
        .distinct()
    )
    found: dict[int, set[str]] = {}
    for organisation_id, language in rows:
        found.setdefault(organisation_id, set()).add(language)
    return found


def is_invited(profile: ParticipantProfile | None, posting: Posting) -> bool:
    return profile is not None and bool(_invited_to(profile, [posting.id]))


def _invited_to(profile: ParticipantProfile, posting_ids: list[int]) -> set[int]:
    if not posting_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Invitation.posting_id).where(
                Invitation.participant_id == profile.id, Invitation.posting_id.in_(posting_ids)
            )
        )
    )


def explain_postings(facts: Facts, postings: list[Posting]) -> list[Recommendation]:
    """Each posting with the reasons it fits the participant (or does not quite), strongest
    first; a fixed number of queries for the whole page."""
    profile = facts.profile
    mentors_speak = _mentor_languages(facts, postings)
    invited = _invited_to(profile, [posting.id for posting in postings])
    explained = []
    for posting in postings:
        reasons = []
        if posting.id in invited:
            reasons.append(Reason(_("The employer invited you to apply")))
        reasons += [
            Reason(_("%(area)s is one of your interests", area=item.area.label))
            for item in posting.areas
            if item.area in facts.interests
        ]
        reasons += _language_reasons(facts.spoken, posting, you=True)
        mentor_languages = mentors_speak.get(posting.organisation_id)
        if posting.kind == PostingKind.MENTORING and mentor_languages:
            # Lower-case names, as inside a sentence ("speaks latviešu valodā").
            names = format_list(
                sorted(
                    Locale.parse(code).get_display_name(get_locale()) for code in mentor_languages
                )
            )
            reasons.append(
                Reason(_("A mentor with free places speaks %(language)s", language=names))
            )
        if facts.wants_mentoring and posting.kind == PostingKind.MENTORING:
            reasons.append(Reason(_("Your plan includes workplace mentoring")))
        if _starts_within(profile, posting.start_date):
            reasons.append(Reason(_("Starts within your available dates")))
        if posting.site_id == profile.site_id:
            reasons.append(Reason(_("At your programme site")))
        explained.append(
            Recommendation(
                posting, sorted(reasons, key=lambda r: not r.fits), posting.id in invited
            )
        )
    return explained


def _starts_within(profile: ParticipantProfile, start: date) -> bool:
    if profile.available_from is None and profile.available_until is None:
        return False
    return (profile.available_from is None or start >= profile.available_from) and (
        profile.available_until is None or start <= profile.available_until
    )


# Participants for a posting --------------------------------------------------------------------


def may_see_suggestions(user: User, posting: Posting) -> bool:
    return posting.organisation.is_staff(user) or is_site_coordinator(user, posting.site_id)


def _age_allows(sites: list[Site]):
    """SQL: the participant's age is within their own site's bounds on its local date."""

    def years_before(day: date, years: int) -> date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    conditions = []
    for site in sites:
        today = today_at(site)
        conditions.append(
            sa.and_(
                ParticipantProfile.site_id == site.id,
                ParticipantProfile.date_of_birth <= years_before(today, site.min_participant_age),
                ParticipantProfile.date_of_birth
                > years_before(today, site.max_participant_age + 1),
            )
        )
    return sa.or_(sa.false(), *conditions)


def _may_apply_to(posting: Posting, sites: list[Site]):
    """SQL over participants: the hard rules, seen from the posting."""
    permit = sa.true()
    if posting.work_permit_required:
        permit = sa.or_(
            ParticipantProfile.work_permit == WorkPermit.NOT_NEEDED,
            sa.and_(
                ParticipantProfile.work_permit == WorkPermit.HAS_PERMIT,
                ParticipantProfile.work_permit_expires_on >= posting.start_date,
            ),
        )
    open_applications = _count(
        Application,
        Application.participant_id == ParticipantProfile.id,
        Application.status.in_(OPEN_STATUSES),
    )
    return sa.and_(
        ParticipantProfile.status == ParticipantStatus.APPROVED,
        _age_allows(sites),
        sa.select(ConsentRecord.id)
        .where(
            ConsentRecord.user_id == ParticipantProfile.user_id,
            ConsentRecord.kind == participants.SUGGESTION_CONSENT,
            ConsentRecord.withdrawn_at.is_(None),
        )
        .exists(),
        ~sa.select(Application.id)
        .where(
            Application.participant_id == ParticipantProfile.id,
            Application.posting_id == posting.id,
        )
        .exists(),
        open_applications
        < sa.select(Site.max_open_applications)
        .where(Site.id == ParticipantProfile.site_id)
        .scalar_subquery(),
        permit,
    )


def _participant_fit(posting: Posting):
    """SQL over participants: the same table of points, seen from the posting."""
    areas = [item.area for item in posting.areas]
    local = posting.site.local_locale
    met = []
    for required in posting.languages:
        enough = levels_from(required.min_level)
        speaks = (
            sa.select(ParticipantLanguage.id)
            .where(
                ParticipantLanguage.profile_id == ParticipantProfile.id,
                ParticipantLanguage.language == required.language,
                ParticipantLanguage.level.in_(enough),
            )
            .exists()
        )
        if required.language == local:
            speaks = sa.or_(speaks, ParticipantProfile.local_language_level.in_(enough))
        met.append(_when(speaks, LANGUAGE_MET + LANGUAGE_GAP) - LANGUAGE_GAP)
    score = sa.literal(0) + sum(met, sa.literal(0))
    if areas:
        score += AREA * _count(
            ParticipantInterest,
            ParticipantInterest.profile_id == ParticipantProfile.id,
            ParticipantInterest.area.in_(sorted(areas)),
        )
    if posting.kind == PostingKind.MENTORING:
        support = (
            sa.select(RecommendedSupport.id)
            .where(
                RecommendedSupport.profile_id == ParticipantProfile.id,
                RecommendedSupport.kind == Support.MENTORING,
            )
            .exists()
        )
        score += _when(support, PLAN_MENTORING)
    available = sa.and_(
        sa.or_(
            ParticipantProfile.available_from.is_not(None),
            ParticipantProfile.available_until.is_not(None),
        ),
        sa.or_(
            ParticipantProfile.available_from.is_(None),
            ParticipantProfile.available_from <= posting.start_date,
        ),
        sa.or_(
            ParticipantProfile.available_until.is_(None),
            ParticipantProfile.available_until >= posting.start_date,
        ),
    )
    score += _when(available, DATES) + _when(
        ParticipantProfile.site_id == posting.site_id, OWN_SITE
    )
    return score


def _candidate_participants(posting: Posting, site_ids: set[int]):
    """SQL: the participants scored for a posting, a bounded set: at each site that may apply,
    the approved ones who asked to be suggested and changed their profile last, and the same
    among those interested in the posting's work areas. One branch per site, so each walks its
    site's index in order and stops early."""
    areas = sorted(item.area for item in posting.areas)
    each = max(CANDIDATES // len(site_ids), 50)
    branches = []
    for site_id in sorted(site_ids):
        asked = sa.select(ParticipantProfile.id).where(
            ParticipantProfile.site_id == site_id,
            ParticipantProfile.status == ParticipantStatus.APPROVED,
            sa.select(ConsentRecord.id)
            .where(
                ConsentRecord.user_id == ParticipantProfile.user_id,
                ConsentRecord.kind == participants.SUGGESTION_CONSENT,
                ConsentRecord.withdrawn_at.is_(None),
            )
            .exists(),
        )
        kinds = [asked]
        if areas:
            kinds.append(
                asked.where(
                    sa.select(ParticipantInterest.id)
                    .where(
                        ParticipantInterest.profile_id == ParticipantProfile.id,
                        ParticipantInterest.area.in_(areas),
                    )
                    .exists()
                )
            )
        for query in kinds:
            latest = query.order_by(ParticipantProfile.updated_at.desc()).limit(each).subquery()
            branches.append(sa.select(latest.c.id))
    return sa.union(*branches)


def suggested_participants(posting: Posting) -> list[Recommendation]:
    """The best-fitting participants who asked to be suggested and could apply, with reasons;
    empty when the posting does not take applications."""
    if not is_open(posting):
        return []
    site_ids = {posting.site_id} | partner_ids(posting.site_id)
    sites = list(db.session.scalars(sa.select(Site).where(Site.id.in_(sorted(site_ids)))))
    profiles = list(
        db.session.scalars(
            sa.select(ParticipantProfile)
            .where(
                ParticipantProfile.id.in_(_candidate_participants(posting, site_ids)),
                _may_apply_to(posting, sites),
            )
            .order_by(_participant_fit(posting).desc(), ParticipantProfile.id)
            .limit(SUGGESTED)
            .options(
                sa.orm.selectinload(ParticipantProfile.languages),
                sa.orm.selectinload(ParticipantProfile.interests),
                sa.orm.selectinload(ParticipantProfile.support),
            )
        )
    )
    wanting = _wanting_mentoring(profiles) if profiles else set()
    invited = (
        set(
            db.session.scalars(
                sa.select(Invitation.participant_id).where(
                    Invitation.posting_id == posting.id,
                    Invitation.participant_id.in_([profile.id for profile in profiles]),
                )
            )
        )
        if profiles
        else set()
    )
    suggestions = []
    for profile in profiles:
        spoken = participants.spoken_levels(profile, posting.site.local_locale)
        reasons = [
            Reason(_("Interested in %(area)s", area=item.area.label))
            for item in profile.interests
            if item.area in {area.area for area in posting.areas}
        ]
        reasons += _language_reasons(spoken, posting, you=False)
        if posting.kind == PostingKind.MENTORING and profile.id in wanting:
            reasons.append(Reason(_("Their plan includes workplace mentoring")))
        if _starts_within(profile, posting.start_date):
            reasons.append(Reason(_("Available on the start date")))
        suggestions.append(
            Recommendation(
                profile, sorted(reasons, key=lambda r: not r.fits), profile.id in invited
            )
        )
    return suggestions


def invite(actor: User, posting: Posting, profile: ParticipantProfile) -> None:
    """Ask a suggested participant to apply; they are told, once per posting."""
    if not may_see_suggestions(actor, posting):
        raise NotAllowed
    if profile.id not in {s.item.id for s in suggested_participants(posting)}:
        raise Problem(_("This participant cannot be invited to this posting any more."))
    if db.session.scalar(
        sa.select(Invitation.id).where(
            Invitation.posting_id == posting.id, Invitation.participant_id == profile.id
        )
    ):
        raise Problem(_("This participant is already invited."))
    db.session.add(Invitation(posting=posting, participant=profile, invited_by=actor))
    audit.record(
        "posting.invited",
        actor=actor,
        obj=posting,
        site_id=posting.site_id,
        summary=str(profile.id),
    )
    notify(
        [profile.user],
        lambda: _(
            "%(organisation)s invites you to apply to %(title)s",
            organisation=posting.organisation.name,
            title=posting.title,
        ),
        link=path_for("postings.show", posting_id=posting.id),
    )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Problem(_("This participant is already invited.")) from None


# Mentors for an offer --------------------------------------------------------------------------


def _weekly_minutes(windows: list[AvailabilityWindow], start: date, end: date) -> int:
    """Minutes a week the mentor is free during the posting's dates."""
    return sum(
        (w.end_time.hour * 60 + w.end_time.minute) - (w.start_time.hour * 60 + w.start_time.minute)
        for w in windows
        if w.valid_from <= end and w.valid_until >= start
    )


def mentors_by_fit(
    posting: Posting, profile: ParticipantProfile, mentors: list[MentorProfile]
) -> list[Recommendation]:
    """The mentors who may be named in the offer, best fit first: languages shared with the
    participant, the posting's work areas, free places, and weekly time during its dates.
    Loads what it compares in a fixed number of queries."""
    if not mentors:
        return []
    ids = [mentor.id for mentor in mentors]
    loaded = db.session.scalars(
        sa.select(MentorProfile)
        .where(MentorProfile.id.in_(ids))
        .options(
            sa.orm.selectinload(MentorProfile.languages),
            sa.orm.selectinload(MentorProfile.expertise),
            sa.orm.selectinload(MentorProfile.windows),
        )
    ).all()
    spoken = participants.spoken_levels(profile, posting.site.local_locale)
    areas = {item.area for item in posting.areas}
    end = posting.end_date or posting.start_date
    ranked = []
    for mentor in loaded:
        shared = sorted(item.language for item in mentor.languages if item.language in spoken)
        known = [item.area for item in mentor.expertise if item.area in areas]
        minutes = _weekly_minutes(mentor.windows, posting.start_date, end)
        reasons = [
            Reason(_("Speaks %(language)s, as the participant does", language=language_name(c)))
            for c in shared
        ]
        reasons += [Reason(_("Knows %(area)s", area=area.label)) for area in known]
        reasons.append(
            Reason(
                ngettext("%(num)s free place", "%(num)s free places", mentor.free_places),
                fits=mentor.free_places > 0,
            )
        )
        if minutes:
            hours = round(minutes / 60, 1)
            reasons.append(
                Reason(
                    _(
                        "Free %(hours)s hours a week during the posting's dates",
                        hours=format_decimal(hours),
                    ),
                    fits=hours >= min(posting.hours_per_week, 4),
                )
            )
        enough_time = min(minutes / 60, posting.hours_per_week) / posting.hours_per_week
        score = (
            LANGUAGE_MET * len(shared) + AREA * len(known) + mentor.free_places + 2 * enough_time
        )
        ranked.append((score, mentor, reasons))
    ranked.sort(key=lambda row: (-row[0], row[1].id))
    return [Recommendation(mentor, reasons) for _score, mentor, reasons in ranked]


# For the participant's pages ---------------------------------------------------------------


@dataclass(frozen=True)
class ForParticipant:
    """What the participant's pages show: the recommendations, or why there are none."""

    facts: Facts | None
    why_none: str | None


def for_participant(user: User) -> ForParticipant:
    profile = participants.profile_of(user)
    problem = why_none(profile)
    if problem:
        return ForParticipant(None, problem)
    return ForParticipant(facts_of(profile), None)


def postings_for(user: User, sites: list[Site], limit: int) -> tuple[list[Recommendation], str]:
    """The participant's best postings with reasons, or (none and) why there are none."""
    found = for_participant(user)
    if found.facts is None:
        return [], found.why_none
    postings = recommended_postings(found.facts, sites, limit)
    return explain_postings(found.facts, postings), ""
