"""CSRF protection on, as in production: access is decided before the token is checked, and a
stale form keeps what was typed."""

import pytest

from marketplace.accounts.roles import Role
from tests.access_requests import tables_written
from tests.conftest import base_config, english_client, log_in
from tests.employer_helpers import make_organisation


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


def test_refused_visitor_without_token_gets_the_refusal_not_the_form(
    app, signed_in_client, make_site
):
    site = make_site("riga")
    participant, _user = signed_in_client(Role.PARTICIPANT)
    with tables_written() as written:
        response = participant.post(f"/admin/sites/{site.id}", data={"name": "Taken over"})
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You do not have access to this page" in page
    assert "Taken over" not in page
    assert written <= {"user_session", "audit_entry"}  # the refusal, in the audit log


@pytest.mark.parametrize(
    "path",
    [
        "/mentors/me/windows",
        "/mentors/me/away",
        "/mentors/me/profile",
        "/postings/new?organisation=1",
    ],
)
def test_anonymous_post_without_token_is_sent_to_log_in(app, client, make_site, path):
    make_site("riga")
    with tables_written() as written:
        response = client.post(path, data={"weekday": "1"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert written == set()


def test_stale_token_on_a_form_of_someone_else_is_refused_as_with_a_token(app, make_user):
    """The view's own check on the object answers before anything is shown or saved."""
    owner, stranger = make_user(Role.EMPLOYER_STAFF), make_user(Role.EMPLOYER_STAFF)
    organisation = make_organisation(app, owner, make_user(Role.COORDINATOR))
    path = f"/organisations/{organisation.id}/edit"
    client = english_client(app)
    log_in(client, stranger)
    with tables_written() as written:
        refused = client.post(path, data={"name": "Taken over", "csrf_token": "stale"})
    assert refused.status_code in (403, 404)
    assert "Taken over" not in refused.get_data(as_text=True)
    assert written <= {"user_session"}


def test_a_post_without_token_changes_nothing_even_where_no_form_is_checked(app, make_user):
    """A button without a form of its own (language choice): the session keeps its language."""
    client = english_client(app)
    response = client.post("/language", data={"language": "lv", "next": "/"})
    assert response.status_code == 400
    assert 'lang="en"' in client.get("/").get_data(as_text=True)
