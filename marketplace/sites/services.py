"""Sites, and the one rule about crossing them.

People act within their own site: the site of their account and of their role grants. An
employer joins only organisations of that site, a participant applies to postings there and
signs up for events there. The one way across is a partnership between two sites, which a
coordinator of both (or a super-admin) sets up: then participants of each may apply to the
other's postings, and the coordinators of both sites see those applications. Looking is not
acting: the public list of postings shows every site.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.problems import NotAllowed
from marketplace.sites.models import Site, SitePartnership


def all_sites() -> list[Site]:
    return list(db.session.scalars(sa.select(Site).order_by(Site.name)))


# Whose site is it -------------------------------------------------------------------------------


def home_sites(user) -> set[int]:
    """The sites a person belongs to: their account's and those of their role grants."""
    sites = {grant.site_id for grant in user.role_grants if grant.site_id is not None}
    if user.site_id is not None:
        sites.add(user.site_id)
    return sites


def may_act_at(user, site_id: int) -> bool:
    """Whether this person may act on things of ``site_id`` (join, apply, sign up, write)."""
    if not user.is_authenticated:
        return False
    return user.has_role(Role.SUPER_ADMIN) or site_id in home_sites(user)


def _pair(site_id: int, other_id: int) -> tuple[int, int]:
    return (site_id, other_id) if site_id < other_id else (other_id, site_id)


def _partnership(site_id: int, other_id: int) -> SitePartnership | None:
    low, high = _pair(site_id, other_id)
    return db.session.scalar(
        sa.select(SitePartnership).where(
            SitePartnership.site_id == low, SitePartnership.partner_site_id == high
        )
    )


def can_apply_across(participant_site_id: int, posting_site_id: int) -> bool:
    """A participant may apply to a posting of their own site, or of a partner site."""
    if participant_site_id == posting_site_id:
        return True
    return _partnership(participant_site_id, posting_site_id) is not None


def partner_ids(site_id: int) -> set[int]:
    rows = db.session.execute(
        sa.select(SitePartnership.site_id, SitePartnership.partner_site_id).where(
            sa.or_(SitePartnership.site_id == site_id, SitePartnership.partner_site_id == site_id)
        )
    )
    return {high if low == site_id else low for low, high in rows}


# Partnerships -----------------------------------------------------------------------------------


def may_manage_partnership(user, site_id: int, other_id: int) -> bool:
    """Only someone answerable for both sites opens or closes the way between them."""
    if site_id == other_id:
        return False
    if user.has_role(Role.SUPER_ADMIN):
        return True
    return {site_id, other_id} <= user.sites_for(Role.COORDINATOR)


def set_partnership(actor, site: Site, other: Site, accepted: bool) -> bool:
    """Let two sites accept each other's applicants, or stop it; True if anything changed.
    Applications already made stay as they are."""
    if not may_manage_partnership(actor, site.id, other.id):
        raise NotAllowed
    existing = _partnership(site.id, other.id)
    if accepted == (existing is not None):
        return False
    if accepted:
        low, high = _pair(site.id, other.id)
        db.session.add(SitePartnership(site_id=low, partner_site_id=high))
    else:
        db.session.delete(existing)
    summary = f"{site.name} ↔ {other.name}"
    for side in (site, other):
        audit.record(
            "site.partnership_started" if accepted else "site.partnership_ended",
            actor=actor,
            obj=side,
            site_id=side.id,
            summary=summary,
        )
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()  # the same change made by someone else a moment ago
        return False
    return True


@dataclass(frozen=True)
class SitePair:
    site: Site
    other: Site
    accepted: bool
    may_change: bool


def pairs_for(user) -> list[SitePair]:
    """The pairs of sites that concern this person: those with a site they coordinate (every
    pair for a super-admin), saying whether they accept each other's applicants."""
    coordinated = user.sites_for(Role.COORDINATOR)
    everything = user.has_role(Role.SUPER_ADMIN)
    accepted = {
        (low, high)
        for low, high in db.session.execute(
            sa.select(SitePartnership.site_id, SitePartnership.partner_site_id)
        )
    }
    return [
        SitePair(
            site=site,
            other=other,
            accepted=_pair(site.id, other.id) in accepted,
            may_change=may_manage_partnership(user, site.id, other.id),
        )
        for site, other in combinations(all_sites(), 2)
        if everything or {site.id, other.id} & coordinated
    ]
