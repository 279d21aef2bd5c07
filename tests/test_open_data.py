"""The open data API as a partner system uses it: published postings and upcoming events for
anyone, indicators with a token a super-admin made, JSON answers for every error."""

from __future__ import annotations

import re

import pytest

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.open_data.models import ApiToken
from tests.conftest import log_in
from tests.indicators_fixture import END, START, build
from tests.open_data_helpers import api_world


@pytest.fixture
def world(app, make_user, make_site):
    return api_world(app, make_user, make_site)


def new_token(app, admin, name="City dashboard", site="") -> str:
    """The secret a super-admin reads off the page, signed in on a browser of their own."""
    browser = app.test_client()
    log_in(browser, admin)
    page = browser.post("/admin/api-tokens", data={"name": name, "site": site})
    assert page.status_code == 200
    return re.search(r'id="new-token"[^>]*value="([^"]+)"', page.get_data(as_text=True))[1]


def test_only_published_postings_are_listed_with_their_public_fields(world, client):
    answer = client.get("/api/v1/postings")
    assert answer.status_code == 200
    body = answer.get_json()
    titles = sorted(item["title"] for item in body["items"])
    assert titles == ["Kock", "Mentorings recepcijā", "Pavārs"]
    job = next(item for item in body["items"] if item["title"] == "Pavārs")
    assert job["organisation"] == "Viesnīca Rīga"
    assert job["site"] == "riga"
    assert job["free_places"] == 2
    assert job["languages"] == [{"language": "lv", "min_level": "A2"}]
    assert job["url"].endswith(f"/postings/{world.riga_job.id}")
    assert body["page"] == 1 and body["has_next"] is False


def test_postings_filter_by_site_kind_and_words_and_come_in_pages(world, client):
    def titles(**query):
        return [
            item["title"]
            for item in client.get("/api/v1/postings", query_string=query).get_json()["items"]
        ]

    assert titles(site="linkoping") == ["Kock"]
    assert sorted(titles(kind="job")) == ["Kock", "Pavārs"]
    assert titles(q="pavars") == ["Pavārs"]  # without the diacritic
    first = client.get("/api/v1/postings", query_string={"per_page": 2}).get_json()
    second = client.get("/api/v1/postings", query_string={"per_page": 2, "page": 2}).get_json()
    assert first["has_next"] is True and second["has_next"] is False
    assert len(first["items"]) == 2 and len(second["items"]) == 1


def test_a_draft_or_missing_posting_is_a_json_404(world, client):
    assert client.get(f"/api/v1/postings/{world.riga_job.id}").get_json()["title"] == "Pavārs"
    for path in (
        f"/api/v1/postings/{world.draft.id}",
        "/api/v1/postings/999999",
        "/api/v1/nothing",
    ):
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.get_json()["error"]["status"] == 404


@pytest.mark.parametrize(
    "query, message",
    [
        ({"kind": "castle"}, "'kind' must be one of"),
        ({"site": "atlantis"}, "No site is called 'atlantis'."),
        ({"per_page": "1000"}, "'per_page' must be a whole number from 1 to 100."),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(world, client, query, message):
    answer = client.get("/api/v1/postings", query_string=query)
    assert answer.status_code == 400
    assert message in answer.get_json()["error"]["message"]


def test_upcoming_events_are_listed(world, client):
    items = client.get("/api/v1/events", query_string={"site": "riga"}).get_json()["items"]
    assert [(e["title"], e["venue"], e["free_places"]) for e in items] == [
        ("Darba tirgus", "Rīgas bibliotēka", 30)
    ]
    assert client.get("/api/v1/events", query_string={"from": "yesterday"}).status_code == 400


def test_indicators_need_a_live_token(world, client):
    answer = client.get("/api/v1/indicators")
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/api/v1/indicators", headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401


def test_a_partner_system_reads_anonymous_indicators_with_its_token(
    app, world, client, make_user, make_site
):
    with app.test_request_context():
        build(app, make_user, make_site)
    token = new_token(app, world.admin)
    answer = client.get(
        "/api/v1/indicators",
        query_string={"site": "riga", "from": START.isoformat(), "to": END.isoformat()},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["site"] == "riga"
    assert body["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    figures = {f["key"]: f for f in body["indicators"]}
    # Seven participants agreed to share with funders (tests/indicators_fixture.py).
    assert figures["participants.enrolled"]["value"] == 7
    assert figures["participants.country.IN"] == {
        "key": "participants.country.IN", "label": "From India", "value": None,
        "suppressed": True, "planned": None,
    }  # fmt: skip
    assert figures["training.total"]["planned"] == 250
    assert db.session.query(ApiToken).one().last_used_at is not None


def test_a_token_for_one_site_cannot_read_another(app, world, client, make_site):
    riga = make_site("riga")
    token = new_token(app, world.admin, site=str(riga.id))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/indicators", headers=headers).get_json()["site"] == "riga"
    other = client.get("/api/v1/indicators", query_string={"site": "linkoping"}, headers=headers)
    assert other.status_code == 403
    assert other.get_json()["error"]["message"] == "This token reads another site."


def test_the_super_admin_sees_a_token_once_and_revoking_it_stops_it(app, world, client):
    token = new_token(app, world.admin)
    log_in(client, world.admin)
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "City dashboard" in listing and token not in listing
    stored = db.session.query(ApiToken).one()
    confirm = client.get(f"/admin/api-tokens/{stored.id}/revoke")
    assert "Revoke the token “City dashboard”?" in confirm.get_data(as_text=True)
    done = client.post(f"/admin/api-tokens/{stored.id}/revoke", follow_redirects=True)
    assert "no longer works" in done.get_data(as_text=True)
    answer = app.test_client().get(
        "/api/v1/indicators", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 401


def test_a_token_needs_a_name(world, client):
    log_in(client, world.admin)
    page = client.post("/admin/api-tokens", data={"name": "  ", "site": ""})
    assert "Please say who will use the token." in page.get_data(as_text=True)
    assert db.session.query(ApiToken).count() == 0


def test_only_super_admins_manage_tokens(world, client, make_user):
    log_in(client, make_user(Role.COORDINATOR))
    assert client.get("/admin/api-tokens").status_code == 403
