"""`make bench-data` fills a database a benchmark can trust: numbers in proportion to the scale,
derived columns as the site computes them, every rule the site enforces kept, and a description
whose accounts log in and whose ids name the objects they promise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.applications.models import OPEN_STATUSES, Application, MentorResponse
from marketplace.applications.services import WORKFLOW as APPLICATION_WORKFLOW
from marketplace.audit.models import AuditEntry
from marketplace.events.models import Event, Rsvp
from marketplace.events.services import GUESTS
from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.mentors.services import WORKFLOW as MENTOR_WORKFLOW
from marketplace.organisations.models import Organisation, OrganisationMember
from marketplace.organisations.services import WORKFLOW as ORGANISATION_WORKFLOW
from marketplace.participants.models import ParticipantProfile
from marketplace.participants.models import ProfileStatus as ParticipantStatus
from marketplace.participants.services import WORKFLOW as PARTICIPANT_WORKFLOW
from marketplace.participants.services import eligibility_problem
from marketplace.placements.models import MentoringSession, Placement, PlacementStatus
from marketplace.placements.services import WORKFLOW as PLACEMENT_WORKFLOW
from marketplace.postings.models import ClosedReason, Posting, PostingKind, PostingStatus
from marketplace.postings.services import WORKFLOW as POSTING_WORKFLOW
from marketplace.postings.services import _search_text
from marketplace.sites.clock import today_at
from marketplace.sites.services import can_apply_across
from marketplace.training.models import Enrolment, TrainingSession
from marketplace.workflow.models import StatusChange
from tests.conftest import IsolatedClient, base_config

ROOT = Path(__file__).resolve().parent.parent
SCALE = 0.005
WORKFLOWS = {
    "Organisation": (ORGANISATION_WORKFLOW, None),
    "MentorProfile": (MENTOR_WORKFLOW, None),
    "ParticipantProfile": (PARTICIPANT_WORKFLOW, None),
    "Posting": (POSTING_WORKFLOW, None),
    "Application": (APPLICATION_WORKFLOW, None),
    "Placement": (PLACEMENT_WORKFLOW, PlacementStatus.ACTIVE),
}
MODELS = {
    "Organisation": Organisation,
    "MentorProfile": MentorProfile,
    "ParticipantProfile": ParticipantProfile,
    "Posting": Posting,
    "Application": Application,
    "Placement": Placement,
}


def run_script(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_data.py"), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MARKETPLACE_BENCH_DATABASE_URL": ""},
        timeout=120,
    )


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """The database the script filled at a tiny scale, and its description."""
    database = tmp_path_factory.mktemp("bench") / "bench.sqlite"
    result = run_script("--scale", str(SCALE), "--database", str(database))
    assert result.returncode == 0, result.stderr
    description = json.loads(database.with_suffix(".json").read_text())
    return database, description, result.stdout


@pytest.fixture(scope="module")
def bench_app(bench):
    database, _description, _output = bench
    app = create_app(base_config(f"sqlite:///{database}"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def count(model, *conditions) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def test_numbers_follow_the_scale(bench, bench_app):
    _database, description, output = bench
    participants = count(RoleGrant, RoleGrant.role == Role.PARTICIPANT)
    assert participants == round(100_000 * SCALE)
    assert count(Organisation) == round(5_000 * SCALE)
    assert count(Posting) == round(20_000 * SCALE)
    assert count(MentorProfile) == round(3_000 * SCALE)
    assert 0.9 * 200_000 * SCALE <= count(Application) <= 1.05 * 200_000 * SCALE
    assert 0.6 * 10_000 * SCALE <= count(Placement) <= 10_000 * SCALE
    assert count(Enrolment) > count(TrainingSession) > 0
    assert count(Rsvp) > count(Event) > 0
    assert len({row for row in db.session.scalars(sa.select(Posting.status))}) >= 4
    assert len({row for row in db.session.scalars(sa.select(Application.status))}) >= 5
    assert description["counts"]["application"] == count(Application)
    assert "rows/s" in output and "bench-coordinator@example.org" in output


def test_search_text_is_what_the_site_computes(bench_app):
    postings = db.session.scalars(
        sa.select(Posting).options(sa.orm.joinedload(Posting.organisation))
    ).all()
    assert all(posting.search_text == _search_text(posting) for posting in postings)
    for user in db.session.scalars(sa.select(User)):
        fresh = User(display_name=user.display_name, email=user.email)
        assert user.search_text == fresh.search_text
    for organisation in db.session.scalars(sa.select(Organisation)):
        fresh = Organisation(name=organisation.name, city=organisation.city)
        assert organisation.search_text == fresh.search_text
    english = db.session.scalars(sa.select(Posting).where(Posting.content_locale == "en")).all()
    assert english and all("hotel" in posting.search_text for posting in english)


def test_counters_agree_with_the_rows_they_count(bench_app):
    placements = Counter(db.session.scalars(sa.select(Placement.posting_id)))
    for posting in db.session.scalars(sa.select(Posting)):
        assert posting.filled_seats == placements[posting.id] <= posting.seats
    active = Counter(
        db.session.scalars(
            sa.select(Placement.mentor_id).where(Placement.status == PlacementStatus.ACTIVE)
        )
    )
    for mentor in db.session.scalars(sa.select(MentorProfile)):
        assert mentor.active_mentees == active[mentor.id] <= mentor.max_mentees
    enrolled = Counter(db.session.scalars(sa.select(Enrolment.session_id)))
    for session in db.session.scalars(sa.select(TrainingSession)):
        assert session.enrolled == enrolled[session.id] <= session.capacity
    attending = Counter(db.session.scalars(sa.select(Rsvp.event_id)))
    for event in db.session.scalars(sa.select(Event)):
        assert event.attending == attending[event.id] <= event.capacity


def test_the_sites_rules_hold(bench, bench_app):
    made = datetime.fromisoformat(bench[1]["created_at"])  # ages count on the site's date then
    connection = db.session.connection()
    assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    pairs = db.session.execute(sa.select(Application.participant_id, Application.posting_id))
    assert max(Counter(pairs.all()).values()) == 1
    open_per_participant = Counter(
        db.session.scalars(
            sa.select(Application.participant_id).where(Application.status.in_(OPEN_STATUSES))
        )
    )
    assert max(open_per_participant.values()) <= 5
    for application in db.session.scalars(sa.select(Application)):
        participant, posting = application.participant, application.posting
        assert participant.status == ParticipantStatus.APPROVED
        assert can_apply_across(participant.site_id, posting.site_id)
        assert posting.published_at is not None
        assert application.created_at >= posting.published_at
    for posting in db.session.scalars(sa.select(Posting)):
        if posting.status == PostingStatus.PUBLISHED:
            assert posting.filled_seats < posting.seats
        if posting.closed_reason == ClosedReason.FILLED:
            assert posting.filled_seats == posting.seats
    for placement in db.session.scalars(sa.select(Placement)):
        application = placement.application
        assert application.status == "approved"
        assert (placement.mentor_id is not None) == (
            placement.posting.kind == PostingKind.MENTORING
        )
        if placement.mentor_id is not None:
            assert application.mentor_id == placement.mentor_id
            assert application.mentor_response == MentorResponse.ACCEPTED
            assert placement.mentor.site_id == placement.site_id
    for session in db.session.scalars(sa.select(MentoringSession)):
        placement = session.placement
        ends = [placement.ended_on, placement.end_date, today_at(placement.posting.site, made)]
        last = min(day for day in ends if day is not None)
        assert placement.start_date <= session.held_on <= last
        assert session.logged_by_id == placement.mentor.user_id
    for profile in db.session.scalars(sa.select(ParticipantProfile)):
        on = today_at(profile.site, made)
        assert eligibility_problem(profile.date_of_birth, profile.site, on) is None
    for enrolment in db.session.scalars(sa.select(Enrolment)):
        assert enrolment.participant.status == ParticipantStatus.APPROVED
        assert enrolment.participant.site_id == enrolment.session.site_id
    for rsvp in db.session.scalars(sa.select(Rsvp)):
        sites = {g.site_id for g in rsvp.user.role_grants if g.role in GUESTS}
        assert rsvp.event.site_id in sites
    members = db.session.scalars(sa.select(OrganisationMember)).all()
    assert all(m.user.site_id == m.organisation.site_id for m in members)
    made_here = (User, Organisation, OrganisationMember, ParticipantProfile, MentorProfile)
    for model in (*made_here, Posting, Application, Placement, MentoringSession, StatusChange,
                  AuditEntry):  # fmt: skip
        latest = db.session.scalar(sa.select(sa.func.max(model.created_at)))
        assert latest is None or latest <= made, f"{model.__name__} made after the script ran"


def test_every_history_follows_its_workflow_to_the_status_now(bench_app):
    chains = defaultdict(list)
    for change in db.session.scalars(sa.select(StatusChange).order_by(StatusChange.id)):
        chains[change.object_type, change.object_id].append(change)
    assert {object_type for object_type, _id in chains} == set(WORKFLOWS)
    status_now = {
        (name, object_id): status
        for name, model in MODELS.items()
        for object_id, status in db.session.execute(sa.select(model.id, model.status))
    }
    for (object_type, object_id), changes in chains.items():
        workflow, start = WORKFLOWS[object_type]
        current = start
        for earlier, change in zip([None, *changes], changes, strict=False):
            assert change.from_status == current
            assert change.to_status in workflow.edges[current]
            assert earlier is None or earlier.created_at <= change.created_at
            current = change.to_status
        assert status_now[object_type, object_id] == current
    for model in (Organisation, MentorProfile, ParticipantProfile, Posting, Application):
        histories = {
            object_id for object_type, object_id in chains if object_type == model.__name__
        }
        assert set(db.session.scalars(sa.select(model.id))) == histories


def test_the_description_names_objects_that_exist_and_accounts_that_log_in(bench, bench_app):
    _database, description, _output = bench
    objects, accounts = description["objects"], description["accounts"]
    assert description["database_url"].startswith("sqlite:///")
    participant = db.session.get(ParticipantProfile, objects["participant_profile_id"])
    assert participant.user.email == accounts["participant"]["email"]
    assert count(Application, Application.participant_id == participant.id) > 0
    mentor = db.session.get(MentorProfile, objects["mentor_profile_id"])
    assert mentor.user.email == accounts["mentor"]["email"]
    placement = db.session.get(Placement, objects["placement_id"])
    assert placement.mentor_id == mentor.id
    busy = db.session.get(Posting, objects["busy_posting_id"])
    most = max(Counter(db.session.scalars(sa.select(Application.posting_id))).values())
    assert count(Application, Application.posting_id == busy.id) == most
    assert busy.organisation.is_staff(
        db.session.scalar(sa.select(User).where(User.email == accounts["employer"]["email"]))
    )
    assert db.session.get(Posting, objects["posting_id"]).status == PostingStatus.PUBLISHED
    assert db.session.get(TrainingSession, objects["training_session_id"]).enrolled > 0
    assert db.session.get(Event, objects["event_id"]).site.slug == "riga"
    people = sa.select(sa.func.count()).select_from(User)
    assert db.session.scalar(people.where(User.search_text.like("%koval%"))) > 0
    assert description["search"]["mentor_week"].count("-") == 2
    for role, account in accounts.items():
        answer = bench_app.test_client().post("/login", data=account)
        assert answer.status_code == 302, role
        assert "/login" not in answer.headers["Location"], role


def test_a_database_with_accounts_is_left_alone_without_replace(bench):
    database, _description, _output = bench
    before = database.stat().st_mtime_ns
    result = run_script("--scale", str(SCALE), "--database", str(database))
    assert result.returncode == 1
    assert "already has" in result.stderr and "--replace" in result.stderr
    assert "Traceback" not in result.stderr
    assert database.stat().st_mtime_ns == before
