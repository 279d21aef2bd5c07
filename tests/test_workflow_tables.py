"""The workflow tables, tried through the site: every step of every workflow, by every person
who relates to the object (and by strangers: another hotel's staff, another site's coordinator,
another participant), from every status.

A step moves the object to its target exactly when the table lets that person take it from that
status. Otherwise nothing moves and the person is refused: 403 or 404, or sent back with the
reason shown; never an error. The table is read from the code (``WORKFLOW.steps``), so a step
added there is tried here too, once its route is named in the step's ``routes`` below.

Before each try, the person opens the page where they would act on the object: it offers the
step's form exactly when the table lets them take it. No template compares status strings;
pages ask which steps a person may take.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.extensions import db
from marketplace.mentors import services as mentors
from marketplace.organisations import services as organisations
from marketplace.organisations.models import MemberRole, OrganisationMember
from marketplace.participants import services as participants
from marketplace.placements import services as placements
from marketplace.placements.models import MentoringSession
from marketplace.postings import services as postings
from marketplace.postings.models import ClosedReason
from marketplace.problems import WrongStatus
from marketplace.workflow.services import SYSTEM, Workflow
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import ROOT, english_client, log_in
from tests.employer_helpers import make_organisation, make_posting
from tests.mentor_helpers import make_mentor
from tests.participant_helpers import make_participant

POSTING_FORM = {
    "kind": "job",
    "title": "Pavārs",
    "description": "Virtuvē.",
    "content_locale": "lv",
    "location": "Brīvības iela 1",
    "start_date": (site_today() + timedelta(days=30)).isoformat(),
    "end_date": "",
    "hours_per_week": "40",
    "seats": "2",
    "application_deadline": "",
    "languages-0-language": "lv",
    "languages-0-min_level": "A2",
    "languages-1-language": "",
    "languages-1-min_level": "A1",
    "languages-2-language": "",
    "languages-2-min_level": "A1",
}
ORGANISATION_FORM = {
    "name": "Viesnīca Baltā Pērle",
    "registration_number": "40003000002",
    "sector": "hotel",
    "address": "Brīvības iela 1",
    "city": "Rīga",
    "contact_name": "Laura",
    "contact_email": "laura@example.org",
    "contact_phone": "",
    "description": "",
}
MENTOR_FORM = {
    "expertise": ["front_office"],
    "organisation": "0",
    "max_mentees": "2",
    "bio": "Reception for 12 years.",
    "languages-0-language": "lv",
    "languages-0-level": "native",
    "languages-1-language": "",
    "languages-2-language": "",
    "languages-3-language": "",
}
REASON = "Please say more about the work."


@dataclass
class Person:
    label: str
    relations: frozenset[str]  # how the person relates to the object, as the table names it
    user: object
    client: object = None


@dataclass
class Table:
    """A workflow, the people around one of its objects, and how to try each step."""

    workflow: Workflow
    people: list[Person]
    statuses: list[str]
    # Puts the object into a status (or makes a fresh one in it) and returns it.
    put: Callable[[str], object]
    # step -> object -> (path, form data)
    routes: dict[str, Callable[[object], tuple[str, dict]]]
    # Steps taken from a route only through the creation of the object or by the system.
    not_routed: set[str] = field(default_factory=set)
    # Steps taken as a consequence of saving a form (editing a published posting sends it back
    # to review): when the step is not theirs, the save itself may still succeed.
    implicit: set[str] = field(default_factory=set)
    # What the step changes when its target is the status it starts from.
    observe: dict[str, Callable[[object], object]] = field(default_factory=dict)
    # The object's status now (another name for a removed one).
    read: Callable[[object], str] = lambda obj: (db.session.refresh(obj), obj.status)[1]
    # The page where this person would act on the object; None when there is none for them.
    # A page they may not open (403, 404) offers nothing to check.
    page: Callable[[object, Person], str | None] = lambda obj, who: None


def person(app, label, relations, user) -> Person:
    client = english_client(app)
    log_in(client, user)
    return Person(label, frozenset(relations), user, client)


def flashed_warnings(client) -> list[str]:
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return [message for category, message in flashes if category == "warning"]


def offers(page: str, path: str) -> bool:
    """Whether the page has a form, or a button of one, that posts to ``path``."""
    return re.search(rf'\b(?:form)?action="{re.escape(path)}"', page) is not None


# Irreversible steps are confirmed on a page of their own; its button sends this.
CONFIRMED = {"confirmed": "yes"}


def try_every_step(table: Table) -> list[str]:
    """Each step, by each person, from each status, through the site: the disagreements."""
    problems = []
    steps = table.workflow.steps
    assert set(steps) == set(table.routes) | table.not_routed, "a step without a route to try"
    for name, step in steps.items():
        if name not in table.routes:
            continue
        for who in table.people:
            for status in table.statuses:
                obj = table.put(status)
                declared = table.workflow.relations_of(who.user, obj)
                if declared != who.relations:
                    problems.append(f"{who.label} relates as {declared}, not {who.relations}")
                observe = table.observe.get(name)
                before = observe(obj) if observe else None
                path, data = table.routes[name](obj)
                allowed = bool(step.who & who.relations) and status in step.sources
                page = table.page(obj, who)
                # A step taken by saving a form has no button of its own to look for.
                if page and name not in table.implicit:
                    shown = who.client.get(page)
                    if shown.status_code == 200:
                        offered = offers(shown.get_data(as_text=True), path)
                        if offered != allowed:
                            problems.append(
                                f"{name} by {who.label} from {status}: {page} offers it "
                                f"{offered}, expected {allowed}"
                            )
                flashed_warnings(who.client)
                response = who.client.post(path, data=data)
                warned = flashed_warnings(who.client)
                after = table.read(obj)
                case = f"{name} by {who.label} from {status}: {response.status_code}"
                if response.status_code >= 500:
                    problems.append(f"{case}, an error")
                    continue
                if observe:
                    changed = observe(obj) != before
                    if changed != allowed or after != status:
                        problems.append(f"{case}, changed {changed}, expected {allowed}")
                elif after != (step.target if allowed else status):
                    problems.append(f"{case}, now {after}")
                refused = response.status_code in (403, 404) or bool(warned)
                if not allowed and name not in table.implicit and not refused:
                    problems.append(f"{case}, neither refused nor explained")
    return problems


def put_status(obj, status: str):
    obj.status = status
    db.session.commit()
    return obj


# Postings -------------------------------------------------------------------------------------


def test_posting_steps_follow_the_table(app, make_user):
    organisation, owner, coordinator = _employer(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator, status="draft")
    other_owner = make_user(Role.EMPLOYER_STAFF)
    make_organisation(app, other_owner, coordinator, name="Hotel Elsewhere")
    table = Table(
        workflow=postings.WORKFLOW,
        people=[
            person(app, "the hotel's staff", {"staff"}, owner),
            person(app, "the site's coordinator", {"coordinator"}, coordinator),
            person(app, "a super-admin", {"coordinator"}, make_user(Role.SUPER_ADMIN)),
            person(app, "another hotel's staff", set(), other_owner),
            person(app, "another site's coordinator", set(), _other_coordinator(make_user)),
        ],
        statuses=["draft", "submitted", "changes_requested", "published", "rejected", "closed"],
        put=lambda status: put_status(posting, status),
        routes={
            "submit": lambda p: (f"/postings/{p.id}/submit", {}),
            "resubmit": lambda p: (f"/postings/{p.id}/edit", POSTING_FORM),
            "publish": lambda p: (f"/postings/{p.id}/review/publish", {}),
            "request_changes": lambda p: (
                f"/postings/{p.id}/review/request-changes",
                {"comment": REASON},
            ),
            "reject": lambda p: (f"/postings/{p.id}/review/reject", {"comment": REASON}),
            "close": lambda p: (f"/postings/{p.id}/close", CONFIRMED),
        },
        not_routed={"create"},
        implicit={"resubmit"},
        page=lambda p, who: f"/postings/{p.id}",
    )
    assert try_every_step(table) == []


def test_the_system_closes_only_published_postings(app, make_user):
    organisation, owner, coordinator = _employer(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator, status="draft")
    assert SYSTEM in postings.WORKFLOW.steps["close"].who
    for status in ["draft", "submitted", "changes_requested", "published", "rejected", "closed"]:
        put_status(posting, status)
        if status == "published":
            postings.close(None, posting, ClosedReason.DEADLINE)
            assert posting.status == "closed"
        else:
            with pytest.raises(WrongStatus):
                postings.close(None, posting, ClosedReason.DEADLINE)
        db.session.rollback()


# Organisations and their members ----------------------------------------------------------------


def test_organisation_steps_follow_the_table(app, make_user):
    organisation, owner, coordinator = _employer(app, make_user)
    colleague = make_user(Role.EMPLOYER_STAFF)
    organisation.members.append(OrganisationMember(user=colleague, approved=True))
    db.session.commit()
    other_owner = make_user(Role.EMPLOYER_STAFF)
    make_organisation(app, other_owner, coordinator, name="Hotel Elsewhere")
    review = {
        name: _organisation_review(name) for name in ("approve", "reject", "suspend", "reinstate")
    }
    table = Table(
        workflow=organisations.WORKFLOW,
        people=[
            person(app, "the owner", {"owner"}, owner),
            person(app, "a colleague", set(), colleague),
            person(app, "the site's coordinator", {"coordinator"}, coordinator),
            person(app, "a super-admin", {"coordinator"}, make_user(Role.SUPER_ADMIN)),
            person(app, "another hotel's owner", set(), other_owner),
            person(app, "another site's coordinator", set(), _other_coordinator(make_user)),
        ],
        statuses=["pending", "approved", "rejected", "suspended"],
        put=lambda status: put_status(organisation, status),
        routes={
            **review,
            "resubmit": lambda o: (f"/organisations/{o.id}/edit", ORGANISATION_FORM),
        },
        not_routed={"register"},
        implicit={"resubmit"},
        page=lambda o, who: f"/organisations/{o.id}/manage",
    )
    assert try_every_step(table) == []


def _organisation_review(action: str):
    return lambda o: (f"/organisations/{o.id}/review/{action}", {"reason": REASON})


def test_membership_steps_follow_the_table(app, make_user):
    organisation, owner, coordinator = _employer(app, make_user)
    colleague = make_user(Role.EMPLOYER_STAFF)
    organisation.members.append(OrganisationMember(user=colleague, approved=True))
    db.session.commit()
    other_owner = make_user(Role.EMPLOYER_STAFF)
    make_organisation(app, other_owner, coordinator, name="Hotel Elsewhere")

    def put(status: str) -> OrganisationMember:
        member = OrganisationMember(
            user=make_user(Role.EMPLOYER_STAFF),
            role=MemberRole.OWNER if status == "owner" else MemberRole.STAFF,
            approved=status != "pending",
        )
        organisation.members.append(member)
        db.session.commit()
        return member

    def read(member: OrganisationMember) -> str:
        ident = sa.inspect(member).identity[0]
        db.session.expire_all()
        found = db.session.get(OrganisationMember, ident)
        return organisations.Membership(found).status if found else "removed"

    members = f"/organisations/{organisation.id}/members"
    table = Table(
        workflow=_membership_table(organisations.MEMBERSHIP),
        people=[
            person(app, "the owner", {"owner"}, owner),
            person(app, "a colleague", set(), colleague),
            person(app, "the site's coordinator", set(), coordinator),
            person(app, "another hotel's owner", set(), other_owner),
        ],
        statuses=["pending", "approved", "owner"],
        put=put,
        routes={
            "approve_member": lambda m: (f"{members}/{m.id}/approve", {}),
            "remove_member": lambda m: (f"{members}/{m.id}/remove", {}),
        },
        read=read,
        page=lambda m, who: f"/organisations/{organisation.id}/manage",
    )
    assert try_every_step(table) == []


def _membership_table(workflow: Workflow) -> Workflow:
    """The membership workflow, asking about a member row as its steps see it."""
    return Workflow(
        workflow.entity,
        workflow.steps.values(),
        lambda user, member: workflow.relations(user, organisations.Membership(member)),
    )


# Mentor and participant profiles --------------------------------------------------------------


def test_mentor_profile_steps_follow_the_table(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    mentor = make_user(Role.EMPLOYER_STAFF)
    profile = make_mentor(app, mentor, approve=False)
    review = f"/mentors/{profile.id}/review"
    table = Table(
        workflow=mentors.WORKFLOW,
        people=[
            person(app, "the mentor", {"owner"}, mentor),
            person(app, "the site's coordinator", {"coordinator"}, coordinator),
            person(app, "a super-admin", {"coordinator"}, make_user(Role.SUPER_ADMIN)),
            person(app, "another site's coordinator", set(), _other_coordinator(make_user)),
            person(app, "staff without a profile", set(), make_user(Role.EMPLOYER_STAFF)),
        ],
        statuses=["draft", "submitted", "changes_requested", "approved", "rejected"],
        put=lambda status: put_status(profile, status),
        routes={
            "submit": lambda p: ("/mentors/me/submit", {}),
            "resubmit": lambda p: ("/mentors/me/profile", MENTOR_FORM),
            "approve": lambda p: (f"{review}/approve", {}),
            "request_changes": lambda p: (f"{review}/request-changes", {"comment": REASON}),
            "reject": lambda p: (f"{review}/reject", {"comment": REASON}),
        },
        not_routed={"start"},
        implicit={"resubmit"},
        # The mentor acts on their own page, everyone else on the profile's: the path of
        # "submit" names no profile, so someone's own page would offer it for theirs.
        page=lambda p, who: "/mentors/me" if who.user is mentor else f"/mentors/{p.id}",
    )
    assert try_every_step(table) == []


def test_participant_profile_steps_follow_the_table(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    owner = make_user(Role.PARTICIPANT)
    profile = make_participant(app, owner)
    review = f"/participants/{profile.id}/review"
    table = Table(
        workflow=participants.WORKFLOW,
        people=[
            person(app, "the participant", {"owner"}, owner),
            person(app, "the site's coordinator", {"coordinator"}, coordinator),
            person(app, "a super-admin", {"coordinator"}, make_user(Role.SUPER_ADMIN)),
            person(app, "another site's coordinator", set(), _other_coordinator(make_user)),
            person(app, "another participant", set(), make_user(Role.PARTICIPANT)),
        ],
        statuses=["draft", "submitted", "changes_requested", "approved", "rejected"],
        put=lambda status: put_status(profile, status),
        routes={
            "submit": lambda p: ("/participants/me/submit", {}),
            "approve": lambda p: (f"{review}/approve", {}),
            "request_changes": lambda p: (f"{review}/request-changes", {"comment": REASON}),
            "reject": lambda p: (f"{review}/reject", {"comment": REASON}),
        },
        not_routed={"start"},
        # The participant acts on their own page, everyone else on the profile's: the path of
        # "submit" names no profile, so someone's own page would offer it for theirs.
        page=lambda p, who: "/participants/me" if who.user is owner else f"/participants/{p.id}",
    )
    assert try_every_step(table) == []


# Placements and mentoring sessions ------------------------------------------------------------


def _placement_people(app, make_user, placement) -> list[Person]:
    world = placement.world
    other_owner = make_user(Role.EMPLOYER_STAFF)
    make_organisation(app, other_owner, world.coordinator, name="Hotel Elsewhere")
    other = approved_participant(app, make_user, world.coordinator)
    return [
        person(app, "the hotel's staff", {"staff"}, world.owner),
        person(app, "the site's coordinator", {"coordinator"}, world.coordinator),
        # The hotel's mentors work there: they are its staff as well.
        person(app, "the mentor", {"mentor", "staff"}, world.mentor.user),
        person(app, "the participant", {"participant"}, placement.participant.user),
        person(app, "another hotel's staff", set(), other_owner),
        person(app, "another site's coordinator", set(), _other_coordinator(make_user)),
        person(app, "another participant", set(), other.user),
    ]


def test_placement_steps_follow_the_table(app, make_user):
    placement = _placement(app, make_user)
    session_form = {
        "held_on": (site_today() - timedelta(days=2)).isoformat(),
        "minutes": "60",
        "topic": "Check-in",
        "notes": "",
    }
    table = Table(
        workflow=placements.WORKFLOW,
        people=_placement_people(app, make_user, placement),
        statuses=["active", "completed", "ended_early"],
        put=lambda status: put_status(placement, status),
        routes={
            "log_session": lambda p: (f"/placements/{p.id}/sessions", session_form),
            "complete": lambda p: (f"/placements/{p.id}/end/completed", CONFIRMED),
            "end_early": lambda p: (
                f"/placements/{p.id}/end/early",
                {"reason": REASON, **CONFIRMED},
            ),
        },
        observe={
            "log_session": lambda p: db.session.scalar(
                sa.select(sa.func.count()).where(MentoringSession.placement_id == p.id)
            )
        },
        page=lambda p, who: f"/placements/{p.id}",
    )
    assert try_every_step(table) == []


def test_mentoring_session_steps_follow_the_table(app, make_user):
    placement = _placement(app, make_user)
    with app.test_request_context():
        session = placements.log_session(
            placement.mentor.user, placement, site_today() - timedelta(days=2), 60, "Check-in", ""
        )
    table = Table(
        workflow=placements.SESSION_WORKFLOW,
        people=_placement_people(app, make_user, placement),
        statuses=["logged", "confirmed", "disputed"],
        put=lambda status: put_status(session, status),
        routes={
            "confirm": lambda s: (f"/placements/sessions/{s.id}/confirm", {}),
            "dispute": lambda s: (f"/placements/sessions/{s.id}/dispute", {"note": REASON}),
        },
        # Logging is the placement's step "log_session", tried with the placement's table.
        not_routed={"log"},
        page=lambda s, who: f"/placements/{s.placement_id}",
    )
    assert try_every_step(table) == []


# Helpers --------------------------------------------------------------------------------------


def _employer(app, make_user):
    owner = make_user(Role.EMPLOYER_STAFF)
    coordinator = make_user(Role.COORDINATOR)
    return make_organisation(app, owner, coordinator), owner, coordinator


def _other_coordinator(make_user):
    return make_user(Role.COORDINATOR, site="linkoping")


def _placement(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(
        app,
        world,
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        placement = applications.approve(world.coordinator, application)
    placement.world = world
    return placement


# Templates ask ----------------------------------------------------------------------------------

STATUS_COMPARISON = re.compile(r"\bstatus\s*(==|!=|\bnot in\b|\bin\b)")


def test_no_template_compares_status_strings():
    """Pages ask the server which steps a person may take (``actions``); none repeats the state
    machine by comparing an object's status."""
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STATUS_COMPARISON.search(line)
    ]
    assert found == []
