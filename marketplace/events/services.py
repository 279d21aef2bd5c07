"""Events: publishing, signing up within capacity (guarded by the database), attendance."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.db import utcnow
from marketplace.events.models import Event, Rsvp
from marketplace.extensions import db
from marketplace.organisations.services import is_site_coordinator
from marketplace.problems import CapacityReached, NotAllowed
from marketplace.sites.services import home_sites

GUESTS = (Role.PARTICIPANT, Role.MENTOR, Role.EMPLOYER_STAFF)


def create(actor: User, site_id: int, values: dict) -> Event:
    if not is_site_coordinator(actor, site_id):
        raise NotAllowed
    event = Event(site_id=site_id, **values)
    db.session.add(event)
    db.session.flush()
    audit.record("event.created", actor=actor, obj=event, site_id=site_id, summary=event.title)
    db.session.commit()
    return event


def may_sign_up(user: User, event: Event) -> bool:
    """Guests come from the event's own site: someone who takes part there (participant, mentor,
    employer staff). Working for an organisation of another site does not make one a guest."""
    return event.site_id in {g.site_id for g in user.role_grants if g.role in GUESTS}


def sign_up(user: User, event: Event) -> bool:
    """Take a place; False if already signed up. Raises CapacityReached when every place is taken:
    the conditional UPDATE lets only as many through as there are places."""
    if not may_sign_up(user, event) or event.ends_at < utcnow():
        raise NotAllowed
    if db.session.scalar(
        sa.select(Rsvp.id).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id)
    ):
        return False
    taken = db.session.execute(
        sa.update(Event)
        .where(Event.id == event.id, Event.attending < Event.capacity)
        .values(attending=Event.attending + 1)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise CapacityReached(_("Sorry, every place at this event is taken."))
    db.session.add(Rsvp(event_id=event.id, user_id=user.id))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()  # signed up twice at once: the first one counts
        return False
    return True


def cancel(user: User, event: Event) -> None:
    rsvp = db.session.scalar(
        sa.select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id)
    )
    if rsvp is None:
        return
    db.session.delete(rsvp)
    db.session.execute(
        sa.update(Event)
        .where(Event.id == event.id, Event.attending > 0)
        .values(attending=Event.attending - 1)
    )
    db.session.commit()


def record_attendance(actor: User, event: Event, present: set[int]) -> None:
    if not is_site_coordinator(actor, event.site_id):
        raise NotAllowed
    for rsvp in event.rsvps:
        rsvp.attended = rsvp.id in present
    audit.record(
        "event.attendance", actor=actor, obj=event, site_id=event.site_id, summary=str(len(present))
    )
    db.session.commit()


def upcoming_for(user: User) -> sa.Select:
    query = sa.select(Event).where(Event.ends_at >= utcnow())
    if not user.has_role(Role.SUPER_ADMIN):
        query = query.where(Event.site_id.in_(home_sites(user)))
    return query.order_by(Event.starts_at)


def signed_up(user: User) -> set[int]:
    return set(db.session.scalars(sa.select(Rsvp.event_id).where(Rsvp.user_id == user.id)))
