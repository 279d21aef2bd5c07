"""Error pages come in the layout and the reader's language; nothing answers a bare 500."""

import pytest

from marketplace.authz import public
from tests.conftest import base_config


def test_missing_page_is_translated(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "ru"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<html lang="ru"' in page
    assert "Page not found" not in page


@pytest.fixture
def app_config(database_url):
    # Let errors reach the handlers, as in production.
    return {**base_config(database_url), "TESTING": False}


def test_unexpected_error_shows_a_kind_page(app):
    @app.get("/boom")
    @public
    def boom():
        raise RuntimeError("bug")

    response = app.test_client().get("/boom", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_numbers_past_any_row_id_are_not_found_not_an_error(client):
    assert client.get("/postings/99999999999999999999").status_code == 404
    assert client.get("/organisations/2147483648").status_code == 404
    assert client.get("/postings/?page=99999999999999999999").status_code == 200


def test_a_host_the_site_does_not_serve_is_refused_plainly(app):
    app.config["TRUSTED_HOSTS"] = ["marketplace.example.org"]
    client = app.test_client()
    response = client.get("/postings/", headers={"Host": "evil.test"})
    assert response.status_code == 400
    assert response.get_data(as_text=True) == "Unknown host."
    assert client.get("/healthz", base_url="http://marketplace.example.org").status_code == 200
