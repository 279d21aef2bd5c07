"""Capacity holds when many coordinators approve at the same instant, on a real multi-process
server: the database lets exactly as many approvals through as there are places."""

import threading

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.mentors.models import MentorProfile
from marketplace.placements.models import Placement
from marketplace.postings.models import Posting
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)

APPLICANTS = 20


def approve_all_at_once(live_server, coordinator, applications) -> list[tuple[int, str]]:
    ids = [application.id for application in applications]
    cookie, csrf = live_server.signed_in_cookie(coordinator)
    # This test's own session must hold no transaction (and so no lock) while the server works.
    db.session.close()
    barrier = threading.Barrier(len(ids))
    results = [None] * len(ids)

    def approve(index, application_id):
        barrier.wait()
        results[index] = live_server.post(
            f"/applications/{application_id}/approve", cookie, {"csrf_token": csrf}
        )

    threads = [threading.Thread(target=approve, args=(i, id_)) for i, id_ in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_twenty_approvals_for_three_places(app, make_user, live_server):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job", seats=3)
    applications = [
        accepted_application(
            app, world, posting, approved_participant(app, make_user, world.coordinator)
        )
        for _ in range(APPLICANTS)
    ]

    posting_id = posting.id
    results = approve_all_at_once(live_server, world.coordinator, applications)

    statuses = sorted(status for status, _body in results)
    assert statuses == [302] * 3 + [409] * (APPLICANTS - 3)
    assert all("This posting is full" in body for status, body in results if status == 409)
    db.session.expire_all()
    assert db.session.get(Posting, posting_id).filled_seats == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 3


def test_a_mentor_with_three_places_gets_three_mentees(app, make_user, live_server):
    world = make_world(app, make_user, mentor_places=3)
    posting = posting_for(app, world, kind="mentoring", seats=APPLICANTS)
    applications = [
        accepted_application(
            app, world, posting, approved_participant(app, make_user, world.coordinator)
        )
        for _ in range(APPLICANTS)
    ]

    posting_id, mentor_id = posting.id, world.mentor.id
    results = approve_all_at_once(live_server, world.coordinator, applications)

    assert sorted(status for status, _body in results) == [302] * 3 + [409] * (APPLICANTS - 3)
    assert all("no free place" in body for status, body in results if status == 409)
    db.session.expire_all()
    assert db.session.get(MentorProfile, mentor_id).active_mentees == 3
    assert db.session.get(Posting, posting_id).filled_seats == 3
