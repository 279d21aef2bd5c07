"""Postings: drafting, review, publication, editing rules, closing and permissions."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.postings import services
from marketplace.postings.models import Posting
from marketplace.problems import WrongStatus
from marketplace.workflow.models import StatusChange
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.employer_helpers import employer_world, make_organisation, make_posting

pytestmark = pytest.mark.clock

FORM = {
    "kind": "job",
    "title": "Pavārs",
    "description": "Virtuvē.\n<script>alert(1)</script>",
    "content_locale": "lv",
    "location": "Brīvības iela 1",
    "start_date": (site_today() + timedelta(days=30)).isoformat(),
    "end_date": "",
    "hours_per_week": "40",
    "seats": "2",
    "application_deadline": "",
    "languages-0-language": "lv",
    "languages-0-min_level": "A2",
    "languages-1-language": "ru",
    "languages-1-min_level": "B1",
    "languages-2-language": "",
    "languages-2-min_level": "A1",
}


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def statuses(posting) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(StatusChange.to_status)
            .where(StatusChange.object_type == "Posting", StatusChange.object_id == posting.id)
            .order_by(StatusChange.id)
        )
    )


def test_staff_drafts_submits_and_coordinator_publishes(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    hotel = client_for(app, owner)
    response = hotel.post(f"/postings/new?organisation={organisation.id}", data=FORM)
    posting = db.session.scalar(sa.select(Posting))
    assert response.headers["Location"] == f"/postings/{posting.id}"
    assert posting.status == "draft"
    assert [(r.language, r.min_level.value) for r in posting.languages] == [
        ("lv", "A2"),
        ("ru", "B1"),
    ]
    assert english_client(app).get(f"/postings/{posting.id}").status_code == 404

    hotel.post(f"/postings/{posting.id}/submit")
    reviewer = client_for(app, coordinator)
    reviewer.post(f"/postings/{posting.id}/review/publish")

    db.session.refresh(posting)
    assert posting.status == "published"
    assert posting.published_at is not None
    page = english_client(app).get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'lang="lv"' in page
    assert statuses(posting) == ["draft", "submitted", "published"]


def test_changes_requested_and_rejection_need_a_comment(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, status="submitted")
    reviewer = client_for(app, coordinator)

    page = reviewer.post(
        f"/postings/{posting.id}/review/request-changes",
        data={"comment": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Please write a comment" in page
    reviewer.post(
        f"/postings/{posting.id}/review/request-changes", data={"comment": "Add the pay."}
    )
    db.session.refresh(posting)
    assert posting.status == "changes_requested"
    assert "Add the pay." in client_for(app, owner).get(f"/postings/{posting.id}").get_data(
        as_text=True
    )


def test_editing_a_published_posting_sends_it_back_for_review(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator)
    hotel = client_for(app, owner)
    form = hotel.get(f"/postings/{posting.id}/edit").get_data(as_text=True)
    assert "goes back to a coordinator for review" in form

    hotel.post(f"/postings/{posting.id}/edit", data={**FORM, "title": "Mentorings (jauns)"})
    db.session.refresh(posting)
    assert posting.status == "submitted"
    assert posting.title == "Mentorings (jauns)"
    assert "Mentorings" not in english_client(app).get("/postings/").get_data(as_text=True)


def test_owner_closes_a_published_posting(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator)
    client_for(app, owner).post(f"/postings/{posting.id}/close", data={"confirmed": "yes"})
    db.session.refresh(posting)
    assert (posting.status, posting.closed_reason) == ("closed", "by_owner")
    page = english_client(app).get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "Applications closed" in page


def test_only_approved_organisations_get_postings_reviewed_and_published(app, make_user):
    owner, coordinator = make_user(Role.EMPLOYER_STAFF), make_user(Role.COORDINATOR)
    organisation = make_organisation(app, owner, coordinator)
    posting = make_posting(app, organisation, owner, status="draft")
    client_for(app, coordinator).post(
        f"/organisations/{organisation.id}/review/suspend", data={"reason": "Unpaid wages."}
    )
    page = (
        client_for(app, owner)
        .post(f"/postings/{posting.id}/submit", follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "must be approved" in page
    db.session.refresh(posting)
    assert posting.status == "draft"


def test_another_hotels_posting_is_not_found_for_staff(app, make_user):
    organisation, owner, _coordinator = employer_world(app, make_user)
    draft = make_posting(app, organisation, owner, status="draft")
    other = client_for(app, make_user(Role.EMPLOYER_STAFF))
    assert other.get(f"/postings/{draft.id}").status_code == 404
    assert other.get(f"/postings/{draft.id}/edit").status_code == 404
    assert other.post(f"/postings/{draft.id}/submit").status_code == 404
    assert other.get(f"/postings/new?organisation={organisation.id}").status_code == 404


def test_coordinators_act_only_on_their_site(app, make_user):
    organisation, owner, _coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, status="submitted")
    elsewhere = client_for(app, make_user(Role.COORDINATOR, site="linkoping"))
    assert elsewhere.post(f"/postings/{posting.id}/review/publish").status_code == 404
    db.session.refresh(posting)
    assert posting.status == "submitted"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seats": "0"}, "from 1 to 100"),
        ({"hours_per_week": "many"}, "Please enter a whole number"),
        (
            {"end_date": (site_today() + timedelta(days=1)).isoformat()},
            "cannot be before the start",
        ),
        ({"start_date": "31.02.2027"}, "Please enter a date"),
        ({"title": ""}, "Please enter a title."),
        ({"languages-1-language": "lv"}, "only once"),
        ({"title": "x" * 161}, "at most 160 characters"),
    ],
)
def test_bad_posting_input_is_explained_and_nothing_saved(app, make_user, changes, message):
    organisation, owner, _ = employer_world(app, make_user)
    page = (
        client_for(app, owner)
        .post(f"/postings/new?organisation={organisation.id}", data={**FORM, **changes})
        .get_data(as_text=True)
    )
    assert message in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0


def test_a_passed_deadline_cannot_be_submitted(app, make_user):
    organisation, owner, _ = employer_world(app, make_user)
    posting = make_posting(
        app,
        organisation,
        owner,
        status="draft",
        application_deadline=site_today() - timedelta(days=2),
    )
    page = (
        client_for(app, owner)
        .post(f"/postings/{posting.id}/submit", follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "The deadline has passed" in page


def test_refused_transitions_raise(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, status="draft")
    with app.test_request_context(), pytest.raises(WrongStatus):
        services.review(coordinator, posting, "published")
    with app.test_request_context(), pytest.raises(WrongStatus):
        services.close_by_owner(owner, posting)


def test_close_expired_closes_each_posting_once_and_tells_the_owner(app, make_user, runner):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator)
    posting.application_deadline = site_today() - timedelta(days=1)
    db.session.commit()

    assert "Closed 1 postings." in runner.invoke(args=["postings", "close-expired"]).output
    assert "Closed 0 postings." in runner.invoke(args=["postings", "close-expired"]).output
    db.session.refresh(posting)
    assert (posting.status, posting.closed_reason) == ("closed", "deadline")
    assert statuses(posting)[-1] == "closed"
