"""Postings: drafting, review, publication, closing, and the public search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.links import path_for
from marketplace.mentors.models import Expertise
from marketplace.notifications.services import notify
from marketplace.organisations.models import Organisation
from marketplace.organisations.services import coordinators_of, is_site_coordinator, staff_of
from marketplace.postings.models import (
    ClosedReason,
    Posting,
    PostingArea,
    PostingKind,
    PostingLanguage,
)
from marketplace.postings.models import PostingStatus as Status
from marketplace.problems import NotAllowed, Problem
from marketplace.search import normalise_for_search, text_matches
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site
from marketplace.workflow.services import SYSTEM, Step, Workflow


def relations(user: User, posting: Posting) -> set[str]:
    """The organisation's staff write and close; the site's coordinators review."""
    found = set()
    if posting.organisation.is_staff(user):
        found.add("staff")
    if is_site_coordinator(user, posting.site_id):
        found.add("coordinator")
    return found


WORKFLOW = Workflow(
    "posting",
    [
        Step.of("create", [None], Status.DRAFT, {"staff"}),
        Step.of("submit", [Status.DRAFT, Status.CHANGES_REQUESTED], Status.SUBMITTED, {"staff"}),
        # Any edit of a published posting sends it back for review (the simple rule, told in
        # the UI).
        Step.of("resubmit", [Status.PUBLISHED], Status.SUBMITTED, {"staff"}),
        Step.of("publish", [Status.SUBMITTED], Status.PUBLISHED, {"coordinator"}),
        Step.of("request_changes", [Status.SUBMITTED], Status.CHANGES_REQUESTED, {"coordinator"}),
        Step.of("reject", [Status.SUBMITTED], Status.REJECTED, {"coordinator"}),
        # By its staff, or by the system when the deadline has passed or every place is filled.
        Step.of("close", [Status.PUBLISHED], Status.CLOSED, {"staff", SYSTEM}),
    ],
    relations,
)
REVIEW_STEPS = {
    Status.PUBLISHED: "publish",
    Status.CHANGES_REQUESTED: "request_changes",
    Status.REJECTED: "reject",
}
EDITABLE = {Status.DRAFT, Status.CHANGES_REQUESTED, Status.SUBMITTED, Status.PUBLISHED}
PUBLIC = {Status.PUBLISHED, Status.CLOSED}
COMMENTED = {Status.CHANGES_REQUESTED, Status.REJECTED}


def is_published(posting: Posting) -> bool:
    return posting.status == Status.PUBLISHED


def is_public(posting: Posting) -> bool:
    return posting.status in PUBLIC


def review_comment(posting: Posting) -> str:
    """The coordinator's comment, while it still tells the employer what to change."""
    return posting.review_comment if posting.status in COMMENTED else ""


# Who may do what ------------------------------------------------------------------------------


def can_edit(user: User, posting: Posting) -> bool:
    return posting.organisation.may_post(user) and posting.status in EDITABLE


def can_view(user, posting: Posting) -> bool:
    """Published and closed postings are public; others only for their staff and coordinators."""
    if is_public(posting):
        return True
    return user.is_authenticated and (
        posting.organisation.is_staff(user) or is_site_coordinator(user, posting.site_id)
    )


# Changes --------------------------------------------------------------------------------------


def _apply(posting: Posting, values: dict, languages: list[tuple[str, CefrLevel]]) -> None:
    values = dict(values)
    areas = values.pop("areas", None)
    for key, value in values.items():
        setattr(posting, key, value)
    if areas is not None:
        _set_areas(posting, set(areas))
    wanted = dict(languages)
    for existing in list(posting.languages):
        if existing.language not in wanted:
            posting.languages.remove(existing)
        else:
            existing.min_level = wanted.pop(existing.language)
    for code, level in wanted.items():
        posting.languages.append(PostingLanguage(language=code, min_level=level))
    posting.search_text = _search_text(posting)


def _set_areas(posting: Posting, chosen: set[Expertise]) -> None:
    kept = [item for item in posting.areas if item.area in chosen]
    added = chosen - {item.area for item in kept}
    posting.areas = kept + [PostingArea(area=area) for area in Expertise if area in added]


def _search_text(posting: Posting) -> str:
    return normalise_for_search(
        f"{posting.title} {posting.description} {posting.organisation.name}"
    )


def create(actor: User, organisation: Organisation, values: dict, languages) -> Posting:
    if not organisation.may_post(actor):
        raise NotAllowed
    posting = Posting(
        organisation=organisation,
        site_id=organisation.site_id,
        city=organisation.city,
        created_by=actor,
        status=None,
    )
    _apply(posting, values, languages)
    db.session.add(posting)
    WORKFLOW.take(actor, posting, "create", site_id=posting.site_id)
    db.session.commit()
    return posting


def update(actor: User, posting: Posting, values: dict, languages) -> bool:
    """Save changes; True if a published posting went back for review because of them."""
    if not can_edit(actor, posting):
        raise NotAllowed
    _apply(posting, values, languages)
    back_to_review = is_published(posting)
    if back_to_review:
        WORKFLOW.take(actor, posting, "resubmit", site_id=posting.site_id)
        _tell_coordinators(posting)
    db.session.commit()
    return back_to_review


def submit(actor: User, posting: Posting) -> None:
    """Send a draft for review; the organisation must be approved and the deadline ahead."""
    WORKFLOW.check(actor, posting, "submit")
    if not posting.organisation.is_approved:
        raise Problem(_("Your organisation must be approved before its postings are reviewed."))
    if posting.application_deadline and posting.application_deadline < today_at(posting.site):
        raise Problem(_("The deadline has passed. Please choose a later date."))
    _refuse_a_passed_start(posting)
    WORKFLOW.take(actor, posting, "submit", site_id=posting.site_id)
    _tell_coordinators(posting)
    db.session.commit()


def _refuse_a_passed_start(posting: Posting) -> None:
    """A posting first goes out with a start date still ahead; one that has already been
    published (and started since) may be edited and published again."""
    if posting.published_at is None and posting.start_date < today_at(posting.site):
        raise Problem(_("The start date has already passed. Please choose today or a later date."))


def _tell_coordinators(posting: Posting) -> None:
    notify(
        coordinators_of(posting.site_id),
        lambda: _("A posting waits for your review: %(title)s", title=posting.title),
        link=path_for("postings.show", posting_id=posting.id),
    )


def review(actor: User, posting: Posting, target: Status, comment: str = "") -> None:
    """A coordinator publishes, rejects or requests changes (the last two with a comment)."""
    step = REVIEW_STEPS[target]
    WORKFLOW.check(actor, posting, step)
    if target in COMMENTED and not comment.strip():
        raise Problem(_("Please write a comment for the employer."))
    if target == Status.PUBLISHED and not posting.organisation.is_approved:
        raise Problem(_("The organisation is not approved, so it cannot publish."))
    if target == Status.PUBLISHED:
        _refuse_a_passed_start(posting)
    WORKFLOW.take(actor, posting, step, site_id=posting.site_id, reason=comment)
    posting.review_comment = comment.strip()
    if target == Status.PUBLISHED:
        posting.published_at = posting.published_at or utcnow()
    messages = {
        Status.PUBLISHED: lambda: _("Your posting is published: %(title)s", title=posting.title),
        Status.REJECTED: lambda: _(
            "Your posting was rejected: %(title)s. Comment: %(comment)s",
            title=posting.title,
            comment=comment,
        ),
        Status.CHANGES_REQUESTED: lambda: _(
            "Changes are requested in your posting %(title)s. Comment: %(comment)s",
            title=posting.title,
            comment=comment,
        ),
    }
    notify(
        staff_of(posting.organisation),
        messages[target],
        link=path_for("postings.show", posting_id=posting.id),
    )
    db.session.commit()


def close(actor: User | None, posting: Posting, reason: ClosedReason) -> None:
    """Close a published posting: by its staff, or (``actor`` None) by the system."""
    WORKFLOW.take(actor, posting, "close", site_id=posting.site_id, reason=reason.value)
    posting.closed_reason = reason
    # Imported here: applications depend on postings, not the other way round.
    from marketplace.applications.services import expire_open_for

    expire_open_for(posting)


def close_by_owner(actor: User, posting: Posting) -> None:
    close(actor, posting, ClosedReason.BY_OWNER)
    db.session.commit()


def _closed_message(posting: Posting, full: bool) -> str:
    if full:
        return _("Your posting %(title)s is closed: every place is filled.", title=posting.title)
    return _("Your posting %(title)s is closed: its deadline has passed.", title=posting.title)


def close_expired(now: datetime | None = None, progress=None) -> int:
    """Close published postings whose deadline has passed at their site, or that are full.
    Safe to run again: a closed posting is not published any more."""
    closed = 0
    for site in db.session.scalars(sa.select(Site)):
        today = today_at(site, now)
        due = db.session.scalars(
            sa.select(Posting).where(
                Posting.site_id == site.id,
                Posting.status == Status.PUBLISHED,
                sa.or_(
                    Posting.application_deadline < today,
                    Posting.filled_seats >= Posting.seats,
                ),
            )
        )
        for posting in due:
            full = posting.filled_seats >= posting.seats
            close(None, posting, ClosedReason.FILLED if full else ClosedReason.DEADLINE)
            notify(
                staff_of(posting.organisation),
                partial(_closed_message, posting, full),
                link=path_for("postings.show", posting_id=posting.id),
            )
            db.session.commit()
            closed += 1
            if progress is not None:
                progress.update(1)
    return closed


# Public search ----------------------------------------------------------------------------------


@dataclass
class SearchFilters:
    text: str = ""
    kind: PostingKind | None = None
    area: Expertise | None = None
    site_id: int | None = None
    city: str = ""
    language: str = ""
    content_locale: str = ""
    start_from: date | None = None
    start_to: date | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    open_only: bool = False
    sort: str = "newest"


def open_for_applications(sites: list[Site], now: datetime | None = None):
    """SQL condition: published, places left, and the deadline not passed at its own site."""
    deadline_ok = sa.or_(
        Posting.application_deadline.is_(None),
        *[
            sa.and_(Posting.site_id == site.id, Posting.application_deadline >= today_at(site, now))
            for site in sites
        ],
    )
    return sa.and_(
        Posting.status == Status.PUBLISHED, Posting.filled_seats < Posting.seats, deadline_ok
    )


def search(filters: SearchFilters, sites: list[Site]) -> sa.Select:
    """Published postings matching the filters, with what the list shows loaded eagerly."""
    query = sa.select(Posting).where(Posting.status == Status.PUBLISHED)
    if filters.text.strip():
        query = query.where(text_matches(Posting, filters.text))
    if filters.kind:
        query = query.where(Posting.kind == filters.kind)
    if filters.area:
        query = query.where(
            Posting.id.in_(
                sa.select(PostingArea.posting_id).where(PostingArea.area == filters.area)
            )
        )
    if filters.site_id:
        query = query.where(Posting.site_id == filters.site_id)
    if filters.city:
        query = query.where(Posting.city == filters.city)
    if filters.language:
        query = query.where(
            Posting.id.in_(
                sa.select(PostingLanguage.posting_id).where(
                    PostingLanguage.language == filters.language
                )
            )
        )
    if filters.content_locale:
        query = query.where(Posting.content_locale == filters.content_locale)
    if filters.start_from:
        query = query.where(Posting.start_date >= filters.start_from)
    if filters.start_to:
        query = query.where(Posting.start_date <= filters.start_to)
    if filters.hours_min is not None:
        query = query.where(Posting.hours_per_week >= filters.hours_min)
    if filters.hours_max is not None:
        query = query.where(Posting.hours_per_week <= filters.hours_max)
    if filters.open_only:
        query = query.where(open_for_applications(sites))
    if filters.sort == "deadline":
        order = [Posting.application_deadline.is_(None), Posting.application_deadline, Posting.id]
    else:
        order = [Posting.published_at.desc(), Posting.id.desc()]
    return query.order_by(*order).options(
        sa.orm.joinedload(Posting.organisation),
        sa.orm.joinedload(Posting.site),
        sa.orm.selectinload(Posting.languages),
        sa.orm.selectinload(Posting.areas),
    )


def cities_with_postings() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Posting.city)
            .where(Posting.status == Status.PUBLISHED)
            .distinct()
            .order_by(Posting.city)
        )
    )


def is_open(posting: Posting, now: datetime | None = None) -> bool:
    return (
        posting.status == Status.PUBLISHED
        and posting.open_seats > 0
        and (
            posting.application_deadline is None
            or posting.application_deadline >= today_at(posting.site, now)
        )
    )


def submitted_for_review(site_ids: set[int] | None) -> sa.Select:
    query = sa.select(Posting).where(Posting.status == Status.SUBMITTED)
    if site_ids is not None:
        query = query.where(Posting.site_id.in_(site_ids))
    return query.order_by(Posting.updated_at, Posting.id).options(
        sa.orm.joinedload(Posting.organisation)
    )


def of_organisations(organisation_ids: list[int]) -> sa.Select:
    return (
        sa.select(Posting)
        .where(Posting.organisation_id.in_(organisation_ids))
        .order_by(Posting.created_at.desc(), Posting.id.desc())
        .options(sa.orm.joinedload(Posting.organisation))
    )


def refresh_search_text(organisation: Organisation) -> None:
    """The organisation's name is searchable in its postings: keep them in step after a rename."""
    for posting in db.session.scalars(
        sa.select(Posting).where(Posting.organisation_id == organisation.id)
    ):
        posting.search_text = _search_text(posting)


def published_of(organisation: Organisation) -> list[Posting]:
    return list(
        db.session.scalars(
            sa.select(Posting)
            .where(Posting.organisation_id == organisation.id, Posting.status == Status.PUBLISHED)
            .order_by(Posting.published_at.desc())
            .limit(50)
        )
    )
