"""The few rows made one by one through the site's own code before the bulk load: the sites
(the demo's ``ensure_sites`` and two more), each site's questionnaire (the demo's questions),
the super-admin, and the partnerships between sites of the same country (``set_partnership``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import ConsentRecord, RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.auth.services import PRIVACY_NOTICE_VERSION
from marketplace.demo import HOURS_PLANS, ensure_sites
from marketplace.demo_participants import QUESTIONS
from marketplace.extensions import db
from marketplace.questionnaires import services as questionnaires
from marketplace.questionnaires.models import Questionnaire
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site, SiteHoursPlan, SitePartnership
from marketplace.sites.services import set_partnership

from . import texts
from .programme import Person, SiteInfo

SUPER_ADMIN_EMAIL = "bench-admin@example.org"
# The programme has run for two years: the sites, their questionnaires and partnerships too.
PROGRAMME_AGE = timedelta(days=730)


def prepare(password_hash: str, now: datetime) -> tuple[list[SiteInfo], Person, dict]:
    """(the sites, the super-admin, each site's current questionnaire by site id)."""
    sites = ensure_sites()
    for slug, name, country, zone, language, template in texts.EXTRA_SITES:
        if slug in sites:
            continue
        site = Site(
            slug=slug,
            name=name,
            country_code=country,
            timezone=zone,
            default_locale=language,
            local_locale=language,
        )
        site.hours_plan = [
            SiteHoursPlan(category=category, planned_hours=hours * 3 // 5)
            for category, hours in HOURS_PLANS[template].items()
        ]
        db.session.add(site)
        sites[slug] = site
    db.session.flush()
    riga = sites["riga"]
    born = now - PROGRAMME_AGE - timedelta(days=5)
    admin = User(
        email=SUPER_ADMIN_EMAIL, display_name="Marta Ozola", site=riga, preferred_locale="en"
    )
    admin.password_hash = password_hash
    admin.created_at = born
    admin.email_confirmed_at = born + timedelta(hours=1)
    admin.role_grants.append(RoleGrant(role=Role.SUPER_ADMIN, site=None, created_at=born))
    db.session.add(admin)
    db.session.add(
        ConsentRecord(
            user=admin, kind="privacy_notice", version=PRIVACY_NOTICE_VERSION, given_at=born
        )
    )
    for site in sites.values():
        site.created_at = born
        if questionnaires.current(site.id) is None:
            questionnaires.add_questions(None, site.id, QUESTIONS)
    db.session.commit()
    pairs = [("riga", "liepaja"), ("linkoping", "norrkoping")]
    for one, other in pairs:
        set_partnership(admin, sites[one], sites[other], True)
    since = now - PROGRAMME_AGE + timedelta(days=30)
    db.session.execute(sa.update(SitePartnership).values(created_at=since))
    db.session.execute(sa.update(Questionnaire).values(created_at=born))
    for action, moment in (("questionnaire.changed", born), ("site.partnership_started", since)):
        db.session.execute(
            sa.update(AuditEntry).where(AuditEntry.action == action).values(created_at=moment)
        )
    db.session.commit()

    infos = {
        slug: SiteInfo(orm=site, country=site.country_code, today=today_at(site, now))
        for slug, site in sites.items()
    }
    for one, other in pairs:
        infos[one].partners.append(infos[other])
        infos[other].partners.append(infos[one])
        infos[one].partner_since = infos[other].partner_since = since
    person = Person(
        id=admin.id,
        name=admin.display_name,
        email=admin.email,
        site=infos["riga"],
        locale="en",
        created=born,
        roles=[(Role.SUPER_ADMIN, None, born)],
        confirmed=admin.email_confirmed_at,
        last_login=None,
    )
    current = {site.id: questionnaires.current(site.id) for site in sites.values()}
    # Everything read later is loaded now and the session let go: on SQLite the bulk load holds
    # the write lock, which a session starting a transaction would wait for.
    for site in sites.values():
        db.session.refresh(site)
        list(site.hours_plan)
    for questionnaire in current.values():
        for question in questionnaire.questions:
            list(question.options)
    db.session.close()
    return list(infos.values()), person, current
