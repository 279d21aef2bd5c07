"""Rough edges found when postings, applicants, the audit log and phone pages were tried as
their people use them."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.addresses import with_city
from marketplace.applications import services as applications
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.postings import services as postings
from marketplace.postings.models import ClosedReason, Posting, PostingStatus
from marketplace.problems import Problem
from tests.application_helpers import approved_participant, make_world
from tests.clock import site_today
from tests.conftest import ROOT, english_client, log_in
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


# The audit log --------------------------------------------------------------------------------


def test_status_changes_in_the_audit_log_read_as_translated_status_names(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    make_posting(app, organisation, owner, coordinator)
    client = signed_in(app, coordinator)
    page = client.get("/audit/").get_data(as_text=True)
    assert "submitted → published" in page
    assert "Posting published" in page
    signed_in_latvian = english_client(app)
    log_in(signed_in_latvian, coordinator)
    signed_in_latvian.environ_base["HTTP_ACCEPT_LANGUAGE"] = "lv"
    latvian = signed_in_latvian.get("/audit/").get_data(as_text=True)
    assert "submitted → published" not in latvian


def test_consents_and_roles_in_the_audit_log_are_named_not_coded(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    participant = make_user(Role.PARTICIPANT)
    audit.record(
        "consent.withdrawn",
        actor=participant,
        obj=participant,
        site_id=participant.site_id,
        summary="funder_sharing",
    )
    audit.record(
        "role.granted",
        actor=coordinator,
        obj=participant,
        site_id=participant.site_id,
        summary="mentor@riga",
    )
    db.session.commit()
    page = signed_in(app, coordinator).get("/audit/").get_data(as_text=True)
    assert "funder_sharing" not in page
    assert "Sharing anonymised data with funders" in page
    assert "mentor@riga" not in page
    assert "Mentor · riga" in page


def test_reasons_recorded_as_codes_are_named_in_the_audit_log(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator)
    with app.test_request_context():
        postings.close(None, posting, ClosedReason.FILLED)
    db.session.commit()
    page = signed_in(app, coordinator).get("/audit/?action=posting.closed").get_data(as_text=True)
    assert "published → closed: all places are filled" in page


def test_the_audit_log_filters_by_person_object_action_and_dates(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    rita = make_user(Role.PARTICIPANT, display_name="Rita Kalniņa", email="rita@example.org")
    lars = make_user(Role.PARTICIPANT, display_name="Lars", email="lars@example.org")
    for person in (rita, lars):
        audit.record("login.success", actor=person, obj=person, site_id=person.site_id)
        audit.record("logout", actor=person, obj=person, site_id=person.site_id)
    old = audit.record("login.success", actor=lars, obj=lars, site_id=lars.site_id)
    old.created_at = datetime(2025, 1, 15, 10, tzinfo=UTC)
    db.session.commit()
    client = signed_in(app, coordinator)

    def rows(query: str) -> list[str]:
        html = client.get(f"/audit/?{query}").get_data(as_text=True)
        return [
            " ".join(row.get_text().split())
            for row in BeautifulSoup(html, "html.parser").select("tbody tr")
        ]

    assert all("Rita" in row for row in rows("person=kalnina")) and len(rows("person=kalnina")) == 2
    assert len(rows("person=lars%40example")) == 3
    assert all("Logged out" in row for row in rows("action=logout"))
    assert len(rows("action=logout")) == 2
    assert len(rows("object_type=Posting")) == 0
    assert len(rows("date_from=2025-01-15&date_to=2025-01-15")) == 1
    assert len(rows("date_to=2025-01-14")) == 0
    page = client.get("/audit/?date_from=2025-02-01&date_to=2025-01-01").get_data(as_text=True)
    assert "cannot be before the start date" in page


def test_filtered_audit_pages_keep_their_filters(app, make_user):
    admin = make_user(Role.SUPER_ADMIN)
    for _ in range(30):
        audit.record("login.failure", summary="unknown_email @example.org")
    audit.record("logout", actor=admin, obj=admin)
    db.session.commit()
    html = signed_in(app, admin).get("/audit/?action=login.failure").get_data(as_text=True)
    assert "action=login.failure" in html and "page=2" in html


# Colour contrast ------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_links_in_card_headers_reach_four_and_a_half_to_one(app):
    css = (ROOT / "marketplace/static/css/site.css").read_text(encoding="utf-8")
    rule = re.search(r"\.card-header a:not\(\.btn\)\s*\{\s*color:\s*(#[0-9a-fA-F]{6})", css)
    assert rule, "card header links need their own, darker colour"
    # Bootstrap's card header: the body colour (#212529) at 3 % over white.
    header = "#" + "".join(f"{round(255 - 0.03 * (255 - c)):02x}" for c in (0x21, 0x25, 0x29))
    lighter, darker = sorted((_luminance(header), _luminance(rule[1])), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5


# Phone layout ---------------------------------------------------------------------------------


def test_checkboxes_and_radio_buttons_are_bootstrap_controls(app, make_user):
    participant = make_user(Role.PARTICIPANT)
    html = signed_in(app, participant).get("/participants/me/profile").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    boxes = soup.select("input[type=checkbox], input[type=radio]")
    assert len(boxes) > 5
    for box in boxes:
        assert "form-check-input" in box["class"], box
        assert "form-check" in box.parent["class"], box.parent
        assert soup.select_one(f"label[for='{box['id']}']") is not None


def test_the_phone_gets_one_compact_language_control(client):
    soup = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    compact = soup.select_one("form.language-switcher-compact")
    assert compact is not None
    options = compact.select("select[name=language] option")
    assert [option["value"] for option in options] == ["en", "lv", "sv", "ru", "uk"]
    assert compact.select_one("option[selected]")["value"] == "en"
    assert compact.select_one("label[for=language-choice]") is not None
    assert compact.select_one("button[type=submit]") is not None


def test_wide_tables_label_each_cell_for_stacking_on_a_phone(app, make_user):
    admin = make_user(Role.SUPER_ADMIN)
    audit.record("logout", actor=admin, obj=admin)
    db.session.commit()
    client = signed_in(app, admin)
    for url in ("/audit/", "/admin/users"):
        soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        table = soup.select_one("table.table-stack")
        assert table is not None, url
        headers = [" ".join(th.get_text().split()) for th in table.select("thead th")]
        for row in table.select("tbody tr"):
            assert [td.get("data-label") for td in row.select("td")] == headers, url
