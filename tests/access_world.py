"""A world where every kind of visitor has something of their own and something of someone
else's to reach for: two sites, two hotels, a placement with a logged session and a thread,
an event, a training session, a questionnaire, availability, a pending colleague, a CV and an
issued certificate.

The access matrix (tests/test_access_matrix.py) requests every route as every visitor here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.auth.sessions import hash_token
from marketplace.calendars import services as calendars
from marketplace.conversations import services as conversations
from marketplace.events import services as events
from marketplace.extensions import db
from marketplace.matching import draft_review, drafts, rounds
from marketplace.mentors import services as mentors
from marketplace.open_data.models import ApiToken
from marketplace.organisations import services as organisations
from marketplace.organisations.models import OrganisationMember
from marketplace.participants import services as participants
from marketplace.placements import services as placements
from marketplace.plans import services as plans
from marketplace.plans.models import Measure
from marketplace.training import services as training
from marketplace.training.models import TrainingCategory
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import log_in
from tests.employer_helpers import make_organisation
from tests.participant_helpers import PDF, make_questionnaire

# The kinds of visitor, in the order the matrix tries them.
VISITORS = (
    "anonymous",
    "participant",  # owns the application, the placement and the CV
    "other_participant",
    "mentor",  # mentors the placement; also staff of the hotel, as hotel mentors are
    "staff",  # owner of the hotel that posted
    "other_staff",  # owner of another hotel at the same site
    "coordinator",
    "other_coordinator",  # coordinator of the other site
    "super_admin",
    "partner",  # monitoring partner of the object's site: anonymous indicators only
    "deactivated",  # was signed in, then deactivated
)


@dataclass
class AccessWorld:
    people: dict[str, User | None]
    ids: dict[str, int | str] = field(default_factory=dict)


def build(app, make_user) -> AccessWorld:
    world = make_world(app, make_user)
    posting = posting_for(
        app,
        world,
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(app, make_user, world.coordinator, email="owner@example.org")
    other_profile = approved_participant(app, make_user, world.coordinator)
    other_staff = make_user(Role.EMPLOYER_STAFF)
    make_organisation(app, other_staff, world.coordinator, name="Hotel Elsewhere")
    other_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    deactivated = make_user(Role.PARTICIPANT)
    newcomer = make_user(Role.EMPLOYER_STAFF)
    placed = accepted_application(app, world, posting, profile)
    second_posting = posting_for(app, world, title="Kitchen mentoring")
    round_job = posting_for(app, world, kind="job", title="Night porter")
    start = datetime.now(UTC) + timedelta(days=7)

    with app.test_request_context():
        placement = applications.approve(world.coordinator, placed)
        # A second application, offered with a mentor who has not answered yet: every step of
        # the offer (mentor's answer, participant's answer, approval) is still to be taken.
        application = applications.apply(profile.user, profile, second_posting, "Please.")
        applications.shortlist(world.owner, application)
        applications.offer(world.owner, application, world.mentor)
        session = placements.log_session(
            world.mentor.user, placement, site_today() - timedelta(days=2), 60, "Check-in", ""
        )
        thread = conversations.thread_for("application", application.id)
        message = conversations.post(profile.user, thread, "Hello from the participant")
        event = events.create(world.coordinator, world.coordinator.site_id, {
            "kind": "excursion", "title": "Visit", "description": "", "venue": "Hotel",
            "starts_at": start, "ends_at": start + timedelta(hours=2), "capacity": 5})  # fmt: skip
        lesson = training.create(world.coordinator, world.coordinator.site, {
            "category": TrainingCategory.LOCAL_LANGUAGE, "title": "Latvian A1",
            "held_on": site_today() - timedelta(days=1), "starts_at": time(10), "minutes": 90,
            "trainer": "Inese", "capacity": 5})  # fmt: skip
        questionnaire = make_questionnaire(world.coordinator.site_id)
        window = mentors.add_window(
            world.mentor.user, world.mentor, 3, time(14), time(16),
            site_today(), site_today() + timedelta(days=90),
        )  # fmt: skip
        mentors.add_unavailability(
            world.mentor.user, world.mentor, site_today() + timedelta(days=30),
            site_today() + timedelta(days=37), "Holiday",
        )  # fmt: skip
        organisations.ask_to_join(newcomer, world.organisation)
        participants.store_cv(profile.user, profile, "cv.pdf", PDF)
        feed_token = calendars.new_feed_token(profile.user)
        # An agreed plan and a change the mentor proposed, waiting for the participant.
        plan_goals = [("Order in Latvian", site_today() + timedelta(days=30))] * 2
        plans.propose(world.coordinator, profile, {Measure.LOCAL_LANGUAGE: 20}, plan_goals)
        plans.agree(profile.user, profile, 1)
        proposal = plans.propose(world.mentor.user, profile, {Measure.CULTURE: 5}, plan_goals)
        agreed_goal = plans.current_version(proposal.plan).goals[0]
        certificate = participants.issue_certificate(world.coordinator, profile)
        # A matching round in draft: the participant, shortlisted for its job, has a pair.
        waiting = applications.apply(profile.user, profile, round_job, "Nights suit me.")
        applications.shortlist(world.owner, waiting)
        matching_round = rounds.create(world.coordinator, world.coordinator.site, "Spring")
        rounds.choose_postings(world.coordinator, matching_round, {round_job.id}, {round_job.id})
        drafts.run(world.coordinator, matching_round)

    member = db.session.scalar(
        sa.select(OrganisationMember).where(OrganisationMember.user_id == newcomer.id)
    )
    grant = db.session.scalar(sa.select(RoleGrant).where(RoleGrant.user_id == profile.user_id))
    people = {
        "anonymous": None,
        "participant": profile.user,
        "other_participant": other_profile.user,
        "mentor": world.mentor.user,
        "staff": world.owner,
        "other_staff": other_staff,
        "coordinator": world.coordinator,
        "other_coordinator": other_coordinator,
        "super_admin": make_user(Role.SUPER_ADMIN),
        "partner": make_user(Role.PARTNER),
        "deactivated": deactivated,
    }
    # A partner system's token for the open data API: what "revoke" aims at.
    token = ApiToken(name="City dashboard", token_hash=hash_token("city-dashboard"))
    db.session.add(token)
    db.session.commit()
    # A second signed-in device of the participant's: what "end this device" aims at.
    device = log_in(app.test_client(), profile.user, user_agent="phone")
    ids = {
        "application_id": application.id,
        "posting_id": posting.id,
        "placement_id": placement.id,
        "mentoring_session_id": session.id,
        "training_session_id": lesson.id,
        "participant_profile_id": profile.id,
        "mentor_profile_id": world.mentor.id,
        "organisation_id": world.organisation.id,
        "member_id": member.id,
        "event_id": event.id,
        "user_id": profile.user_id,
        "grant_id": grant.id,
        "site_id": world.coordinator.site_id,
        "question_id": questionnaire.questions[0].id,
        "message_id": message.id,
        "window_id": window.id,
        "period_id": world.mentor.unavailable[0].id,
        "feed_token": feed_token,
        "device_id": device.id,
        "plan_version_number": proposal.number,
        "goal_id": agreed_goal.id,
        "code": certificate.code,  # of the participant's certificate, checked by anyone
        "round_id": matching_round.id,
        "round_posting_id": matching_round.postings[0].id,
        "pair_id": draft_review.pair_ids(matching_round)[0],
        "token_id": token.id,
    }
    return AccessWorld(people, ids)
