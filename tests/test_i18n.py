"""Language choice: saved choice, then session, then the browser, then the site; Babel formats."""

from datetime import UTC, datetime

import pytest
from flask_babel import format_decimal, refresh

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.i18n import format_site_datetime
from tests.conftest import log_in


def html_lang(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_first_visit_follows_the_browser_language(client):
    response = client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5"})
    assert html_lang(response) == "uk"
    assert "Увійти" in response.get_data(as_text=True)


def test_unknown_browser_language_falls_back_to_english(client):
    assert html_lang(client.get("/", headers={"Accept-Language": "de"})) == "en"


def test_visitors_choice_sticks_for_the_session(client):
    response = client.post("/language", data={"language": "lv", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert html_lang(page) == "lv"
    assert "Pieslēgties" in page.get_data(as_text=True)


def test_choice_is_saved_on_the_account_of_a_signed_in_person(signed_in_client, app):
    client, user = signed_in_client(Role.PARTICIPANT)
    client.post("/language", data={"language": "sv", "next": "/dashboard"})
    db.session.refresh(user)
    assert user.preferred_locale == "sv"

    other_device = app.test_client()
    log_in(other_device, user)
    assert html_lang(other_device.get("/dashboard", headers={"Accept-Language": "ru"})) == "sv"


def test_unknown_language_choice_is_ignored(client):
    client.post("/language", data={"language": "xx", "next": "/"})
    assert html_lang(client.get("/", headers={"Accept-Language": "ru"})) == "ru"


def test_language_switch_never_redirects_off_site(client):
    response = client.post("/language", data={"language": "ru", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "1,234.5"), ("lv", "1\xa0234,5"), ("sv", "1\xa0234,5"), ("ru", "1\xa0234,5")],
)
def test_numbers_follow_the_locale(app, locale, expected):
    with app.test_request_context(headers={"Accept-Language": locale}):
        assert format_decimal(1234.5) == expected


def test_times_are_shown_in_the_sites_zone(app, make_site):
    riga, linkoping = make_site("riga"), make_site("linkoping")
    instant = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert "12:30" in format_site_datetime(instant, riga)
        assert "11:30" in format_site_datetime(instant, linkoping)
    with app.test_request_context(headers={"Accept-Language": "lv"}):
        refresh()  # the locale is cached for the app context this test holds
        assert "jūl." in format_site_datetime(instant, riga)
