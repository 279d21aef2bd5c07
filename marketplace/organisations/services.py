"""Organisations: registration, staff, and the coordinator's approval workflow."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.notifications.services import notify
from marketplace.organisations.models import (
    MemberRole,
    Organisation,
    OrganisationMember,
)
from marketplace.organisations.models import OrganisationStatus as Status
from marketplace.search import like_pattern
from marketplace.workflow.services import transition

TRANSITIONS: dict[str | None, set[str]] = {
    None: {Status.PENDING},
    Status.PENDING: {Status.APPROVED, Status.REJECTED},
    Status.REJECTED: {Status.PENDING},  # the employer corrects the details and asks again
    Status.APPROVED: {Status.SUSPENDED},
    Status.SUSPENDED: {Status.APPROVED},
}


class NotAllowed(Exception):
    pass


def is_site_coordinator(user: User, site_id: int) -> bool:
    return user.has_role(Role.SUPER_ADMIN) or site_id in user.sites_for(Role.COORDINATOR)


def coordinators_of(site_id: int) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(RoleGrant)
            .where(
                RoleGrant.role == Role.COORDINATOR,
                RoleGrant.site_id == site_id,
                User.active.is_(True),
            )
        )
    )


def owners_of(organisation: Organisation) -> list[User]:
    return [
        m.user
        for m in organisation.members
        if m.approved and m.role == MemberRole.OWNER and m.user.active
    ]


def staff_of(organisation: Organisation) -> list[User]:
    return [m.user for m in organisation.members if m.approved and m.user.active]


def _move(organisation: Organisation, target: Status, actor: User, reason: str = "") -> None:
    transition(
        organisation,
        target,
        allowed=TRANSITIONS,
        actor=actor,
        site_id=organisation.site_id,
        reason=reason,
    )
    organisation.status_reason = reason.strip()
    organisation.status_changed_at = utcnow()


def register(actor: User, values: dict) -> Organisation:
    """An employer registers their organisation; it waits for a coordinator, and they own it."""
    organisation = Organisation(status=None, **values)
    organisation.members.append(
        OrganisationMember(user=actor, role=MemberRole.OWNER, approved=True)
    )
    db.session.add(organisation)
    _move(organisation, Status.PENDING, actor)
    link = path_for("organisations.show", organisation_id=organisation.id)
    notify(
        coordinators_of(organisation.site_id),
        lambda: _("%(name)s asks to be approved as an employer.", name=organisation.name),
        link=link,
    )
    db.session.commit()
    return organisation


def update_details(actor: User, organisation: Organisation, values: dict) -> None:
    """The owner corrects the details; a rejected organisation goes back for review."""
    if not organisation.is_owner(actor):
        raise NotAllowed
    # Imported here: postings depend on organisations, not the other way round.
    from marketplace.postings.services import refresh_search_text

    renamed = values.get("name", organisation.name) != organisation.name
    for key, value in values.items():
        setattr(organisation, key, value)
    if renamed:
        refresh_search_text(organisation)
    if organisation.status == Status.REJECTED:
        _move(organisation, Status.PENDING, actor)
        notify(
            coordinators_of(organisation.site_id),
            lambda: _("%(name)s asks to be approved as an employer.", name=organisation.name),
            link=path_for("organisations.show", organisation_id=organisation.id),
        )
    db.session.commit()


def review(actor: User, organisation: Organisation, target: Status, reason: str = "") -> None:
    """A coordinator of the organisation's site approves, rejects, suspends or reinstates it."""
    if not is_site_coordinator(actor, organisation.site_id):
        raise NotAllowed
    if target in {Status.REJECTED, Status.SUSPENDED} and not reason.strip():
        raise ValueError("a reason is required")
    _move(organisation, target, actor, reason)
    messages = {
        Status.APPROVED: lambda: _(
            "%(name)s is approved. You can now publish postings.", name=organisation.name
        ),
        Status.REJECTED: lambda: _(
            "%(name)s was not approved. Reason: %(reason)s", name=organisation.name, reason=reason
        ),
        Status.SUSPENDED: lambda: _(
            "%(name)s is suspended. Reason: %(reason)s", name=organisation.name, reason=reason
        ),
    }
    notify(
        staff_of(organisation),
        messages[target],
        link=path_for("organisations.manage", organisation_id=organisation.id),
    )
    db.session.commit()


# Staff --------------------------------------------------------------------------------------


def ask_to_join(actor: User, organisation: Organisation) -> bool:
    """Ask to work for an organisation; False if already a member or asking."""
    if organisation.member(actor) is not None:
        return False
    organisation.members.append(OrganisationMember(user=actor, role=MemberRole.STAFF))
    notify(
        owners_of(organisation),
        lambda: _(
            "%(person)s asks to join %(name)s.", person=actor.display_name, name=organisation.name
        ),
        link=path_for("organisations.manage", organisation_id=organisation.id),
    )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return False
    return True


def approve_member(actor: User, member: OrganisationMember) -> None:
    organisation = member.organisation
    if not organisation.is_owner(actor):
        raise NotAllowed
    member.approved = True
    audit.record(
        "organisation.member_approved",
        actor=actor,
        obj=organisation,
        site_id=organisation.site_id,
        summary=member.user.email,
    )
    notify(
        [member.user],
        lambda: _("You can now work for %(name)s here.", name=organisation.name),
        link=path_for("organisations.manage", organisation_id=organisation.id),
    )
    db.session.commit()


def remove_member(actor: User, member: OrganisationMember) -> None:
    organisation = member.organisation
    if not organisation.is_owner(actor) or member.role == MemberRole.OWNER:
        raise NotAllowed
    audit.record(
        "organisation.member_removed",
        actor=actor,
        obj=organisation,
        site_id=organisation.site_id,
        summary=member.user.email,
    )
    db.session.delete(member)
    db.session.commit()


# Queries ------------------------------------------------------------------------------------


def organisations_of(user: User) -> list[Organisation]:
    """Organisations the user works for or asked to join."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .join(OrganisationMember)
            .where(OrganisationMember.user_id == user.id)
            .order_by(Organisation.name)
            .options(sa.orm.selectinload(Organisation.members))
        )
    )


def joinable(user: User, search: str) -> list[Organisation]:
    """Approved organisations at the user's sites that match the search, for asking to join."""
    sites = {g.site_id for g in user.role_grants if g.site_id} or {user.site_id}
    query = (
        sa.select(Organisation)
        .where(Organisation.status == Status.APPROVED, Organisation.site_id.in_(sites))
        .order_by(Organisation.name)
        .limit(20)
    )
    if search.strip():
        query = query.where(Organisation.search_text.like(like_pattern(search), escape="\\"))
    return list(db.session.scalars(query))


def pending_for_review(site_ids: set[int] | None) -> sa.Select:
    query = sa.select(Organisation).where(Organisation.status == Status.PENDING)
    if site_ids is not None:
        query = query.where(Organisation.site_id.in_(site_ids))
    return query.order_by(Organisation.status_changed_at, Organisation.id)
