"""Rough edges found when postings, applicants, the audit log and phone pages were tried as
their people use them."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from marketplace.addresses import with_city
from marketplace.applications import services as applications
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.postings import services as postings
from marketplace.postings.models import Posting, PostingStatus
from marketplace.problems import Problem
from tests.application_helpers import approved_participant, make_world
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.employer_helpers import employer_world, make_posting
from tests.test_postings import FORM


def signed_in(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


# A posting cannot go out with a start date already past ------------------------------------


@pytest.mark.clock
def test_a_new_posting_with_a_past_start_date_is_explained_next_to_the_field(app, make_user):
    organisation, owner, _ = employer_world(app, make_user)
    yesterday = (site_today(organisation.site) - timedelta(days=1)).isoformat()
    page = (
        signed_in(app, owner)
        .post(
            f"/postings/new?organisation={organisation.id}",
            data={**FORM, "start_date": yesterday},
        )
        .get_data(as_text=True)
    )
    assert "The start date has already passed" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 0


@pytest.mark.clock
def test_a_posting_starting_today_at_the_site_is_saved(app, make_user):
    organisation, owner, _ = employer_world(app, make_user)
    today = site_today(organisation.site).isoformat()
    signed_in(app, owner).post(
        f"/postings/new?organisation={organisation.id}", data={**FORM, "start_date": today}
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Posting)) == 1


@pytest.mark.clock
def test_a_draft_whose_start_has_passed_cannot_be_submitted(app, make_user):
    organisation, owner, _ = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, status=PostingStatus.DRAFT)
    posting.start_date = site_today(organisation.site) - timedelta(days=3)
    db.session.commit()
    page = (
        signed_in(app, owner)
        .post(f"/postings/{posting.id}/submit", follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "The start date has already passed" in page
    assert db.session.get(Posting, posting.id).status == PostingStatus.DRAFT


@pytest.mark.clock
def test_a_submitted_posting_whose_start_has_passed_cannot_be_published(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, status=PostingStatus.SUBMITTED)
    posting.start_date = site_today(organisation.site) - timedelta(days=1)
    db.session.commit()
    with app.test_request_context(), pytest.raises(Problem):
        postings.review(coordinator, posting, PostingStatus.PUBLISHED)


@pytest.mark.clock
def test_a_running_posting_keeps_its_past_start_date_when_edited(app, make_user):
    organisation, owner, _ = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, status=PostingStatus.DRAFT)
    started = site_today(organisation.site) - timedelta(days=10)
    posting.start_date = started
    db.session.commit()
    signed_in(app, owner).post(
        f"/postings/{posting.id}/edit",
        data={**FORM, "start_date": started.isoformat(), "title": "Renamed"},
    )
    assert db.session.get(Posting, posting.id).title == "Renamed"


# Addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "city", "shown"),
    [
        ("Brīvības iela 1", "Rīga", "Brīvības iela 1, Rīga"),
        ("Rīga", "Rīga", "Rīga"),
        ("Brīvības iela 1, Rīga", "Rīga", "Brīvības iela 1, Rīga"),
        ("Brīvības iela 1, RIGA", "Rīga", "Brīvības iela 1, RIGA"),
        ("Vecrīga", "Rīga", "Vecrīga, Rīga"),
        ("", "Rīga", "Rīga"),
        ("Storgatan 3", "", "Storgatan 3"),
    ],
)
def test_an_address_names_its_city_once(address, city, shown):
    assert with_city(address, city) == shown


def test_a_posting_in_the_city_itself_is_not_shown_as_riga_riga(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator, location="Rīga")
    page = english_client(app).get(f"/postings/{posting.id}").get_data(as_text=True)
    assert "Rīga, Rīga" not in page


# Applicants and the posting's language levels ------------------------------------------------


def test_each_applicant_card_says_whether_the_language_levels_are_met(app, make_user):
    world = make_world(app, make_user)
    posting = make_posting(
        app,
        world.organisation,
        world.owner,
        world.coordinator,
        kind="job",
        seats=5,
        languages=[("en", CefrLevel.B2), ("lv", CefrLevel.B1)],
    )
    fluent = approved_participant(app, make_user, world.coordinator)
    fluent.local_language_level = CefrLevel.C1
    beginner = approved_participant(app, make_user, world.coordinator)
    beginner.local_language_level = CefrLevel.A2
    stranger = approved_participant(app, make_user, world.coordinator)
    db.session.commit()
    with app.test_request_context():
        for profile in (fluent, beginner, stranger):
            applications.apply(profile.user, profile, posting, "Motivated.")

    page = (
        signed_in(app, world.owner)
        .get(f"/applications/posting/{posting.id}")
        .get_data(as_text=True)
    )

    assert page.count("Meets the language levels") == 1
    assert "Below: Latvian B1 (has A2)" in page
    assert "Below: Latvian B1 (does not speak it)" in page
