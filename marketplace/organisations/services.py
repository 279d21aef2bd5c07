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
from marketplace.problems import NotAllowed, Problem
from marketplace.search import text_matches
from marketplace.sites.services import home_sites, may_act_at
from marketplace.workflow.services import Step, Workflow


def is_site_coordinator(user: User, site_id: int) -> bool:
    """A coordinator of the site, or a super-admin, who coordinates every site."""
    return user.has_role(Role.SUPER_ADMIN) or site_id in user.sites_for(Role.COORDINATOR)


def relations(user: User, organisation: Organisation) -> set[str]:
    found = set()
    if organisation.is_owner(user):
        found.add("owner")
    if is_site_coordinator(user, organisation.site_id):
        found.add("coordinator")
    return found


WORKFLOW = Workflow(
    "organisation",
    [
        Step.of("register", [None], Status.PENDING, {"owner"}),
        Step.of("approve", [Status.PENDING], Status.APPROVED, {"coordinator"}),
        Step.of("reject", [Status.PENDING], Status.REJECTED, {"coordinator"}),
        # The owner corrects the details of a rejected organisation and so asks again.
        Step.of("resubmit", [Status.REJECTED], Status.PENDING, {"owner"}),
        Step.of("suspend", [Status.APPROVED], Status.SUSPENDED, {"coordinator"}),
        Step.of("reinstate", [Status.SUSPENDED], Status.APPROVED, {"coordinator"}),
    ],
    relations,
)
NEEDS_REASON = {Status.REJECTED, Status.SUSPENDED}


def step_to(organisation: Organisation, target: Status) -> str:
    """The review step that moves the organisation to ``target`` from where it is now (approval
    from "pending", reinstatement from "suspended"); any step there if none does."""
    names = [s.name for s in WORKFLOW.steps.values() if s.target == target]
    return next(
        (name for name in names if organisation.status in WORKFLOW.steps[name].sources), names[0]
    )


def is_pending(organisation: Organisation) -> bool:
    return organisation.status == Status.PENDING


# Membership: who works for the organisation. A member waits until the owner approves them;
# the owner may remove anyone but themselves.
MEMBER_PENDING, MEMBER_APPROVED, MEMBER_OWNER = "pending", "approved", "owner"


class Membership:
    """A member as the membership steps see them: their standing is their status."""

    def __init__(self, member: OrganisationMember):
        self.member = member

    @property
    def status(self) -> str:
        if self.member.role == MemberRole.OWNER:
            return MEMBER_OWNER
        return MEMBER_APPROVED if self.member.approved else MEMBER_PENDING


def _membership_relations(user: User, membership: Membership) -> set[str]:
    return {"owner"} if membership.member.organisation.is_owner(user) else set()


MEMBERSHIP = Workflow(
    "member",
    [
        Step.of("approve_member", [MEMBER_PENDING], MEMBER_APPROVED, {"owner"}),
        Step.of("remove_member", [MEMBER_PENDING, MEMBER_APPROVED], "removed", {"owner"}),
    ],
    _membership_relations,
)


def member_actions(user: User, member: OrganisationMember) -> frozenset[str]:
    return MEMBERSHIP.available(user, Membership(member))


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
        if m.approved and m.role == MemberRole.OWNER and m.user.active and m.at_home
    ]


def staff_of(organisation: Organisation) -> list[User]:
    return [m.user for m in organisation.members if m.approved and m.user.active and m.at_home]


def _move(organisation: Organisation, step: str, actor: User, reason: str = "") -> None:
    WORKFLOW.take(actor, organisation, step, site_id=organisation.site_id, reason=reason)
    organisation.status_reason = reason.strip()
    organisation.status_changed_at = utcnow()


def register(actor: User, values: dict) -> Organisation:
    """An employer registers their organisation at their own site; it waits for a coordinator,
    and they own it."""
    if not may_act_at(actor, values["site_id"]):
        raise NotAllowed
    organisation = Organisation(status=None, **values)
    # The id too, not only the person: the step knows its owner by it before anything is saved.
    organisation.members.append(
        OrganisationMember(user=actor, user_id=actor.id, role=MemberRole.OWNER, approved=True)
    )
    db.session.add(organisation)
    _move(organisation, "register", actor)
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
    if WORKFLOW.may(actor, organisation, "resubmit"):
        _move(organisation, "resubmit", actor)
        notify(
            coordinators_of(organisation.site_id),
            lambda: _("%(name)s asks to be approved as an employer.", name=organisation.name),
            link=path_for("organisations.show", organisation_id=organisation.id),
        )
    db.session.commit()


def review(actor: User, organisation: Organisation, decision: str, reason: str = "") -> None:
    """A coordinator of the organisation's site approves, rejects, suspends or reinstates it;
    ``decision`` names the step, or the status to move to from the current one."""
    step = decision if decision in WORKFLOW.steps else step_to(organisation, Status(decision))
    WORKFLOW.check(actor, organisation, step)
    target = WORKFLOW.steps[step].target
    if target in NEEDS_REASON and not reason.strip():
        raise Problem(_("Please write the reason. The employer will see it."))
    _move(organisation, step, actor, reason)
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


def may_join(user: User, organisation: Organisation) -> bool:
    """Employers join approved organisations of their own site only."""
    return organisation.is_approved and may_act_at(user, organisation.site_id)


def ask_to_join(actor: User, organisation: Organisation) -> bool:
    """Ask to work for an organisation; False if already a member or asking."""
    if not may_join(actor, organisation):
        raise NotAllowed
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
    MEMBERSHIP.check(actor, Membership(member), "approve_member")
    if not may_act_at(member.user, organisation.site_id):
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
    MEMBERSHIP.check(actor, Membership(member), "remove_member")
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
    query = (
        sa.select(Organisation)
        .where(Organisation.status == Status.APPROVED, Organisation.site_id.in_(home_sites(user)))
        .order_by(Organisation.name)
        .limit(20)
    )
    if search.strip():
        query = query.where(text_matches(Organisation, search))
    return list(db.session.scalars(query))


def pending_for_review(site_ids: set[int] | None) -> sa.Select:
    query = sa.select(Organisation).where(Organisation.status == Status.PENDING)
    if site_ids is not None:
        query = query.where(Organisation.site_id.in_(site_ids))
    return query.order_by(Organisation.status_changed_at, Organisation.id)
