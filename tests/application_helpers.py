"""A small world for the application workflow: a hotel, its mentor, a coordinator, postings
and approved participants, all made through the services."""

from dataclasses import dataclass
from datetime import time, timedelta

from marketplace.accounts.roles import Role
from marketplace.applications import services
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.mentors import services as mentors
from marketplace.organisations.models import OrganisationMember
from marketplace.participants import services as participants
from tests.clock import site_today
from tests.employer_helpers import make_organisation, make_posting
from tests.mentor_helpers import make_mentor
from tests.participant_helpers import make_participant


@dataclass
class World:
    organisation: object
    owner: object
    coordinator: object
    mentor: object


def make_world(app, make_user, *, mentor_places=2) -> World:
    owner = make_user(Role.EMPLOYER_STAFF, display_name="Laura")
    coordinator = make_user(Role.COORDINATOR, display_name="Ilze")
    organisation = make_organisation(app, owner, coordinator)
    mentor_user = make_user(Role.EMPLOYER_STAFF, Role.MENTOR, display_name="Jānis")
    organisation.members.append(OrganisationMember(user=mentor_user, approved=True))
    db.session.commit()
    mentor = make_mentor(
        app,
        mentor_user,
        coordinator,
        organisation=organisation,
        max_mentees=mentor_places,
        windows=[(1, time(9), time(12))],
    )
    with app.test_request_context():
        mentors.confirm_organisation(owner, mentor)
    return World(organisation, owner, coordinator, mentor)


def posting_for(
    app, world: World, *, kind="mentoring", seats=2, languages=(("en", CefrLevel.A2),), **changes
):
    return make_posting(
        app,
        world.organisation,
        world.owner,
        world.coordinator,
        kind=kind,
        seats=seats,
        languages=list(languages),
        **{
            "start_date": site_today() + timedelta(days=20),
            "end_date": site_today() + timedelta(days=80),
            **changes,
        },
    )


def approved_participant(app, make_user, coordinator, **user_values):
    user = make_user(Role.PARTICIPANT, **user_values)
    profile = make_participant(app, user, submit=True)
    with app.test_request_context():
        participants.review(coordinator, profile, "approved")
    return profile


def accepted_application(app, world: World, posting, profile):
    """An application taken up to 'offer accepted' (with the mentor's yes for mentoring)."""
    with app.test_request_context():
        application = services.apply(profile.user, profile, posting, "I would like to learn.")
        services.shortlist(world.owner, application)
        mentor = world.mentor if posting.kind == "mentoring" else None
        services.offer(world.owner, application, mentor)
        if mentor is not None:
            services.mentor_answer(mentor.user, application, True)
        services.accept_offer(profile.user, application)
    return application


def offer_terms(posting, mentor=None, **changes) -> dict:
    """The offer form as the employer sends it: the posting's terms, as the form is prefilled."""
    form = {
        "start_date": posting.start_date.isoformat(),
        "end_date": posting.end_date.isoformat() if posting.end_date else "",
        "hours_per_week": str(posting.hours_per_week),
        "place": posting.location,
        "contact": "Laura, +371 2000 0000",
        "message": "",
    }
    if mentor is not None:
        form["mentor"] = str(mentor.id)
    return form | changes
