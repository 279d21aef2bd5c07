"""Logging in and out, with every attempt audited."""

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from tests.access_world import build
from tests.conftest import TEST_PASSWORD, english_client, log_in


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_person_logs_in_and_lands_on_their_dashboard(client, make_user):
    make_user(Role.MENTOR, Role.EMPLOYER_STAFF, email="jana@example.org", display_name="Jana")

    response = client.post("/login", data={"email": "Jana@Example.org ", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Jana" in dashboard
    assert "Mentor · Riga" in dashboard
    assert "Employer staff · Riga" in dashboard
    assert audit_actions() == ["login.success"]


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_user):
    make_user(Role.PARTICIPANT, email="amir@example.org")

    wrong_password = client.post("/login", data={"email": "amir@example.org", "password": "x" * 9})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "x" * 9})

    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert "The e-mail or password is not correct." in response.get_data(as_text=True)
    assert audit_actions() == ["login.failure", "login.failure"]


def test_login_form_keeps_the_email_and_explains_missing_password(client):
    response = client.post("/login", data={"email": "amir@example.org", "password": ""})
    page = response.get_data(as_text=True)
    assert 'value="amir@example.org"' in page
    assert "Please enter your password." in page
    assert 'aria-invalid="true"' in page


def test_deactivated_person_cannot_log_in(client, make_user):
    make_user(Role.PARTICIPANT, email="old@example.org", active=False)
    response = client.post("/login", data={"email": "old@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert client.get("/dashboard").status_code == 302


def test_login_follows_only_local_next_links(client, make_user):
    make_user(Role.PARTICIPANT, email="next@example.org")
    credentials = {"email": "next@example.org", "password": TEST_PASSWORD}

    response = client.post("/login?next=//evil.example/steal", data=credentials)
    assert response.headers["Location"] == "/dashboard"

    client.post("/logout")
    response = client.post("/login?next=/audit/", data=credentials)
    assert response.headers["Location"] == "/audit/"


def test_logout_ends_the_session_and_is_audited(client, make_user):
    make_user(Role.PARTICIPANT, email="bye@example.org")
    client.post("/login", data={"email": "bye@example.org", "password": TEST_PASSWORD})

    response = client.post("/logout", follow_redirects=True)

    assert "You have logged out." in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    assert audit_actions() == ["login.success", "logout"]


def test_logout_is_not_possible_with_a_get_request(signed_in_client):
    client, _user = signed_in_client(Role.PARTICIPANT)
    assert client.get("/logout").status_code == 405
    assert client.get("/dashboard").status_code == 200


def test_demo_accounts_log_in_for_every_role(app, client, runner):
    from marketplace.demo import DEMO_PASSWORD, PEOPLE

    assert "Loaded demo data" in runner.invoke(args=["demo", "load"]).output
    assert "already has accounts" in runner.invoke(args=["demo", "load"]).output
    roles_seen = set()
    for email, _name, _site, _locale, roles in PEOPLE:
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.headers.get("Location") == "/dashboard", email
        client.post("/logout")
        roles_seen.update(roles)
    assert roles_seen == set(Role)


# Redirects to an address the request supplies stay on this site ------------------------------

ELSEWHERE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "http://localhost.evil.example/",
    "https:/\\evil.example",
    "javascript:alert(1)",
]


def test_reporting_a_message_returns_only_to_a_page_of_this_site(app, make_user):
    world = build(app, make_user)
    client = english_client(app)
    log_in(client, world.people["participant"])
    application_id = world.ids["application_id"]
    path = f"/messages/application/{application_id}/{world.ids['message_id']}/report"

    for referrer in ELSEWHERE:
        location = client.post(path, headers={"Referer": referrer}).headers["Location"]
        assert location == f"/applications/{application_id}#messages", referrer

    page = f"http://localhost/applications/{application_id}?tab=messages"
    location = client.post(path, headers={"Referer": page}).headers["Location"]
    assert location == f"/applications/{application_id}?tab=messages"


@pytest.mark.parametrize("target", ELSEWHERE)
def test_login_never_continues_to_another_site(client, make_user, target):
    make_user(email="jana@example.org")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "jana@example.org", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/dashboard"
