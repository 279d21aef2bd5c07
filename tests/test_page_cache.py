"""Copies of public pages for visitors who are not signed in, and of the menu's to-do count:
never stale after a change, each visitor's own form token, and nothing shared with people who
are signed in."""

import re

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from marketplace import page_cache
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.postings import services as postings
from marketplace.postings.models import Posting
from tests.conftest import base_config, english_client, log_in
from tests.employer_helpers import employer_world, make_posting


def menu_badge(client) -> str:
    badge = BeautifulSoup(client.get("/postings/").get_data(True), "html.parser").select_one(
        ".d-lg-flex .todo-count"
    )
    return badge.get_text(" ", strip=True) if badge else ""


TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app_config(database_url):
    # As in production: tokens checked, so a copied token would be refused.
    return {**base_config(database_url), "WTF_CSRF_ENABLED": True}


@pytest.fixture
def world(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    posting = make_posting(app, organisation, owner, coordinator, title="Receptionist")
    return posting, owner


def behind_the_sites_back(title: str) -> None:
    """Change a title in plain SQL, as no part of the site does: only an expired copy shows it."""
    db.session.connection().exec_driver_sql(f"UPDATE posting SET title = '{title}'")
    db.session.commit()


def test_a_copy_is_served_until_it_expires(app, world, monkeypatch):
    posting, _owner = world
    visitor = english_client(app)
    assert "Receptionist" in visitor.get(f"/postings/{posting.id}").get_data(True)

    behind_the_sites_back("Night porter")
    assert "Receptionist" in visitor.get(f"/postings/{posting.id}").get_data(True)
    assert "Receptionist" in english_client(app).get(f"/postings/{posting.id}").get_data(True)

    later = page_cache.time.monotonic() + app.config["CACHE_SECONDS"] + 1
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    assert "Night porter" in visitor.get(f"/postings/{posting.id}").get_data(True)


def test_a_change_shows_at_once_on_every_public_page(app, world):
    posting, owner = world
    visitor = english_client(app)
    for path in ("/", "/postings/", "/postings/?q=recept", f"/postings/{posting.id}"):
        visitor.get(path)

    posting.title = "Night porter"
    db.session.commit()
    assert "Night porter" in visitor.get("/postings/").get_data(True)
    assert "Night porter" in visitor.get(f"/postings/{posting.id}").get_data(True)

    with app.test_request_context():
        postings.close_by_owner(owner, posting)
    db.session.commit()
    assert "Night porter" not in visitor.get("/postings/").get_data(True)


def test_a_bulk_update_also_makes_copies_stale(app, world):
    posting, _owner = world
    visitor = english_client(app)
    visitor.get(f"/postings/{posting.id}")
    db.session.execute(sa.update(Posting).values(title="Kitchen helper"))
    db.session.commit()
    assert "Kitchen helper" in visitor.get(f"/postings/{posting.id}").get_data(True)


def test_each_visitor_gets_a_form_token_of_their_own(app, world):
    first, second = english_client(app), english_client(app)
    first_tokens = set(TOKEN.findall(first.get("/postings/").get_data(True)))
    second_tokens = set(TOKEN.findall(second.get("/postings/").get_data(True)))
    assert len(first_tokens) == len(second_tokens) == 1 and first_tokens != second_tokens

    [token] = second_tokens
    switched = second.post(
        "/language", data={"csrf_token": token, "language": "lv", "next": "/postings/"}
    )
    assert switched.status_code == 302
    latvian = second.get("/postings/").get_data(True)
    assert '<html lang="lv">' in latvian
    assert '<html lang="en">' in first.get("/postings/").get_data(True)


def test_people_signed_in_get_their_own_page(app, world, signed_in_client):
    visitor = english_client(app)
    assert "Log in" in visitor.get("/postings/").get_data(True)
    participant, _user = signed_in_client(Role.PARTICIPANT, display_name="Olena")
    page = participant.get("/postings/").get_data(True)
    assert "Log out" in page and ">Log in<" not in page


def test_caching_can_be_turned_off(app, world):
    posting, _owner = world
    app.config["CACHE_SECONDS"] = 0
    visitor = english_client(app)
    visitor.get(f"/postings/{posting.id}")
    behind_the_sites_back("Night porter")
    assert "Night porter" in visitor.get(f"/postings/{posting.id}").get_data(True)


def test_the_menus_to_do_count_follows_every_change(app, make_user, monkeypatch):
    from tests.participant_helpers import make_participant

    coordinator = make_user(Role.COORDINATOR, site="riga")
    client = english_client(app)
    log_in(client, coordinator)
    assert menu_badge(client) == ""

    waiting = make_participant(app, make_user(Role.PARTICIPANT, site="riga"), submit=True)
    assert menu_badge(client) == "Things to do: 1"

    # A change the site never makes (plain SQL) is seen only once the copy expires.
    db.session.connection().exec_driver_sql(
        f"UPDATE participant_profile SET status = 'draft' WHERE id = {waiting.id}"
    )
    db.session.commit()
    assert menu_badge(client) == "Things to do: 1"
    later = page_cache.time.monotonic() + app.config["CACHE_SECONDS"] + 1
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    assert menu_badge(client) == ""
