"""Who may manage whom, and the changes they make: every one checked and audited.

A coordinator manages the people of their own sites and grants the roles a site needs
(participant, mentor, employer staff) there. A super-admin manages every site, appoints
coordinators and other super-admins.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry
from marketplace.auth import sessions
from marketplace.auth.services import send_confirmation
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.problems import NotAllowed, Problem
from marketplace.search import text_matches
from marketplace.sites.models import Site, SiteHoursPlan, TrainingCategory

COORDINATOR_GRANTABLE = (Role.PARTICIPANT, Role.MENTOR, Role.EMPLOYER_STAFF)
# An account is in one of these states; the people list filters by them.
ACCOUNT_STATES = ("active", "unconfirmed", "deactivated")
# A confirmation link is not sent again sooner than this after the last one: a second click, or
# a colleague's, must not fill the person's inbox.
CONFIRMATION_PAUSE = timedelta(minutes=5)
# How much of a person's own activity their page shows; the audit log has the rest.
RECENT_ACTIVITY = 20


def is_super_admin(actor: User) -> bool:
    return actor.has_role(Role.SUPER_ADMIN)


def managed_site_ids(actor: User) -> set[int] | None:
    """The sites whose people ``actor`` manages; None means every site."""
    return None if is_super_admin(actor) else actor.sites_for(Role.COORDINATOR)


def account_state(user: User) -> str:
    if not user.active:
        return "deactivated"
    return "active" if user.email_confirmed else "unconfirmed"


def _in_state(state: str) -> sa.ColumnElement[bool]:
    if state == "deactivated":
        return User.active.is_(False)
    confirmed = User.email_confirmed_at.is_not(None)
    return sa.and_(User.active.is_(True), confirmed if state == "active" else sa.not_(confirmed))


def users_query(
    actor: User,
    *,
    search: str = "",
    site_id: int | None = None,
    role: Role | None = None,
    state: str | None = None,
) -> sa.Select:
    query = sa.select(User).order_by(User.display_name, User.id)
    sites = managed_site_ids(actor)
    if sites is not None:
        # Row by row through the index on role_grant.user_id: no list of every grant at the site.
        granted_there = (
            sa.select(RoleGrant.id)
            .where(RoleGrant.user_id == User.id, RoleGrant.site_id.in_(sites))
            .exists()
        )
        query = query.where(sa.or_(User.site_id.in_(sites), granted_there))
    if search.strip():
        query = query.where(text_matches(User, search))
    if site_id is not None:
        query = query.where(User.site_id == site_id)
    if role is not None:
        query = query.where(User.id.in_(sa.select(RoleGrant.user_id).where(RoleGrant.role == role)))
    if state is not None:
        query = query.where(_in_state(state))
    return query.options(sa.orm.selectinload(User.role_grants), sa.orm.joinedload(User.site))


def can_manage_user(actor: User, user: User) -> bool:
    sites = managed_site_ids(actor)
    if sites is None:
        return True
    if user.has_role(Role.SUPER_ADMIN):
        return False
    return user.site_id in sites or any(g.site_id in sites for g in user.role_grants)


def grantable(actor: User) -> list[tuple[Role, Site | None]]:
    """Every (role, site) pair ``actor`` may grant, in a stable order."""
    sites = list(db.session.scalars(sa.select(Site).order_by(Site.name)))
    if is_super_admin(actor):
        return [(Role.SUPER_ADMIN, None)] + [
            (role, site) for site in sites for role in Role if role is not Role.SUPER_ADMIN
        ]
    own = actor.sites_for(Role.COORDINATOR)
    return [(role, site) for site in sites if site.id in own for role in COORDINATOR_GRANTABLE]


def may_handle(actor: User, role: Role, site_id: int | None) -> bool:
    if is_super_admin(actor):
        return True
    return role in COORDINATOR_GRANTABLE and site_id in actor.sites_for(Role.COORDINATOR)


def grant_role(actor: User, user: User, role: Role, site: Site | None) -> bool:
    """Grant ``role`` at ``site``; False if the person already has it."""
    site_id = None if role is Role.SUPER_ADMIN else (site.id if site else None)
    if not can_manage_user(actor, user) or not may_handle(actor, role, site_id):
        raise NotAllowed
    if role is not Role.SUPER_ADMIN and site is None:
        raise NotAllowed
    if any(g.role is role and g.site_id == site_id for g in user.role_grants):
        return False
    user.role_grants.append(RoleGrant(role=role, site_id=site_id))
    audit.record(
        "role.granted",
        actor=actor,
        obj=user,
        site_id=site_id or user.site_id,
        summary=_grant_summary(role, site),
    )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Granted by someone else at the same moment: the person has the role, as asked.
        db.session.rollback()
        return False
    return True


def revoke_role(actor: User, grant: RoleGrant) -> None:
    user = grant.user
    if not can_manage_user(actor, user) or not may_handle(actor, grant.role, grant.site_id):
        raise NotAllowed
    if grant.role is Role.SUPER_ADMIN and _super_admin_count() <= 1:
        # The last super-admin cannot be removed, or nobody could manage sites.
        raise Problem(_("You cannot take away this role."))
    audit.record(
        "role.revoked",
        actor=actor,
        obj=user,
        site_id=grant.site_id or user.site_id,
        summary=_grant_summary(grant.role, grant.site),
    )
    db.session.delete(grant)
    db.session.commit()


def _super_admin_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(RoleGrant).where(RoleGrant.role == Role.SUPER_ADMIN)
    )


def _grant_summary(role: Role, site: Site | None) -> str:
    return f"{role.value}@{site.slug}" if site else role.value


def can_change_activation(actor: User, user: User) -> bool:
    if actor.id == user.id or not can_manage_user(actor, user):
        return False
    # Only a super-admin may stop a coordinator.
    return is_super_admin(actor) or not user.has_role(Role.COORDINATOR, Role.SUPER_ADMIN)


def deactivate(actor: User, user: User) -> None:
    """Stop an account: its open sessions end at once and it can no longer log in."""
    if not can_change_activation(actor, user):
        raise NotAllowed
    user.active = False
    sessions.end_all(user)
    audit.record("account.deactivated", actor=actor, obj=user, site_id=user.site_id)
    db.session.commit()


def reactivate(actor: User, user: User) -> None:
    if not can_change_activation(actor, user):
        raise NotAllowed
    user.active = True
    audit.record("account.reactivated", actor=actor, obj=user, site_id=user.site_id)
    db.session.commit()


def end_sessions(actor: User, user: User) -> int:
    """Log a person out on every device (a lost phone, a shared computer); they may log in again.
    Returns how many sessions were open."""
    if not can_change_activation(actor, user):
        raise NotAllowed
    ended = sessions.end_all(user)
    audit.record(
        "account.sessions_ended", actor=actor, obj=user, site_id=user.site_id, summary=str(ended)
    )
    db.session.commit()
    return ended


def recent_activity(viewer: User, user: User) -> list[AuditEntry]:
    """What ``user`` did lately, as far as ``viewer`` may read the audit log."""
    query = audit.visible_entries_query(viewer, audit.AuditFilters(actor_id=user.id))
    return list(db.session.scalars(query.limit(RECENT_ACTIVITY)))


def can_resend_confirmation(actor: User, user: User) -> bool:
    return can_manage_user(actor, user) and user.active and not user.email_confirmed


def _confirmation_sent_lately(user: User) -> bool:
    """Whether a confirmation link went out within the pause: at registration or sent again
    from here (both are in the audit log)."""
    since = utcnow() - CONFIRMATION_PAUSE
    return (
        db.session.scalar(
            sa.select(AuditEntry.id)
            .where(
                AuditEntry.created_at >= since,
                AuditEntry.action.in_(("account.registered", "account.confirmation_resent")),
                AuditEntry.object_type == "User",
                AuditEntry.object_id == user.id,
            )
            .limit(1)
        )
        is not None
    )


def resend_confirmation(actor: User, user: User) -> None:
    """E-mail the person a new link to confirm their address, for someone who lost the first."""
    if not can_manage_user(actor, user):
        raise NotAllowed
    if user.email_confirmed:
        raise Problem(
            _("%(name)s has already confirmed the e-mail address.", name=user.display_name)
        )
    if not user.active:
        raise Problem(_("This account is deactivated. Reactivate it first."))
    if _confirmation_sent_lately(user):
        raise Problem(
            _(
                "A confirmation e-mail went to %(name)s a few minutes ago. Please give it a "
                "little time to arrive before sending another.",
                name=user.display_name,
            )
        )
    send_confirmation(user)
    audit.record("account.confirmation_resent", actor=actor, obj=user, site_id=user.site_id)
    db.session.commit()


# Sites ----------------------------------------------------------------------------------------


def save_site(actor: User, site: Site | None, values: dict, hours: dict[TrainingCategory, int]):
    """Create (``site`` None) or update a site and its hours plan. Super-admins only."""
    if not is_super_admin(actor):
        raise NotAllowed
    created = site is None
    if created:
        site = Site(**values)
        db.session.add(site)
    else:
        for key, value in values.items():
            setattr(site, key, value)
    plans = {plan.category: plan for plan in site.hours_plan}
    for category, planned in hours.items():
        if category in plans:
            plans[category].planned_hours = planned
        else:
            site.hours_plan.append(SiteHoursPlan(category=category, planned_hours=planned))
    db.session.flush()
    audit.record(
        "site.created" if created else "site.updated",
        actor=actor,
        obj=site,
        site_id=site.id,
        summary=site.name,
    )
    db.session.commit()
    return site


def slug_taken(slug: str, site: Site | None) -> bool:
    query = sa.select(Site.id).where(Site.slug == slug)
    if site is not None:
        query = query.where(Site.id != site.id)
    return db.session.scalar(query) is not None
