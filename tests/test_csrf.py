"""CSRF protection on, as in production: a stale form keeps what was typed."""

import pytest

from tests.conftest import base_config


@pytest.fixture
def app_config(database_url):
    return {**base_config(database_url), "WTF_CSRF_ENABLED": True}


def test_post_without_token_is_refused(client):
    response = client.post("/language", data={"language": "lv", "next": "/"})
    assert response.status_code == 400
    assert "Something in the request was not right" in response.get_data(as_text=True)


def test_stale_login_form_is_shown_again_with_the_input_kept(client):
    response = client.post("/login", data={"email": "kept@example.org", "password": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="kept@example.org"' in page
    assert "your form was not sent" in page
    assert client.get("/dashboard").status_code == 302
