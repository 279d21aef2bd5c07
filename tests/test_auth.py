"""Logging in and out, with every attempt audited."""

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db, limiter
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


# Failed logins in the audit log --------------------------------------------------------------


def failed_logins() -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action == "login.failure")
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_failed_logins_are_audited_with_the_reason_and_never_the_password(client, make_user):
    amir = make_user(Role.PARTICIPANT, email="amir@example.org", site="linkoping")
    old = make_user(Role.PARTICIPANT, email="old@example.org", active=False)

    client.post("/login", data={"email": "Amir@example.org", "password": "guess-one-two"})
    client.post("/login", data={"email": "old@example.org", "password": TEST_PASSWORD})
    client.post("/login", data={"email": "stranger@mail.example.lv", "password": "guess-three"})

    wrong, deactivated, unknown = failed_logins()
    assert (wrong.actor_id, wrong.site_id) == (amir.id, amir.site_id)
    assert (wrong.object_type, wrong.object_id) == ("User", amir.id)
    assert wrong.summary == "wrong_password"
    assert (deactivated.actor_id, deactivated.summary) == (old.id, "deactivated")
    # A stranger's address is not kept, only its domain; nobody's site can read the entry.
    assert (unknown.actor_id, unknown.site_id) == (None, None)
    assert unknown.summary == "unknown_email @mail.example.lv"
    for entry in (wrong, deactivated, unknown):
        assert "guess" not in entry.summary and TEST_PASSWORD not in entry.summary
        assert entry.ip_address == "127.0.0.1"


def test_what_follows_the_at_sign_is_kept_only_when_it_is_a_domain(client):
    for typed in ("my@secret password", "nobody", "me@localhost", "a@b@c.example.org"):
        client.post("/login", data={"email": typed, "password": "whatever-it-is"})
    summaries = [entry.summary for entry in failed_logins()]
    assert summaries == ["unknown_email"] * 3 + ["unknown_email @c.example.org"]


def test_failed_logins_read_in_plain_words_in_the_audit_log(app, client, make_user):
    make_user(Role.PARTICIPANT, email="amir@example.org")
    client.post("/login", data={"email": "amir@example.org", "password": "not it at all"})
    client.post("/login", data={"email": "stranger@example.lv", "password": "not it either"})
    admin = english_client(app)
    log_in(admin, make_user(Role.SUPER_ADMIN))

    page = admin.get("/audit/?action=login.failure").get_data(as_text=True)
    assert page.count("Failed login") >= 2
    assert "Wrong password" in page
    assert "No account has this e-mail address (example.lv)" in page
    assert "stranger@" not in page


@pytest.fixture
def tight_login_limits(app):
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = "2 per minute"
    app.config["THROTTLED_LOGINS_AUDITED_PER_IP"] = "2 per minute"
    limiter.reset()
    yield
    limiter.reset()


def test_throttled_logins_are_audited_up_to_an_allowance(client, make_user, tight_login_limits):
    amir = make_user(Role.PARTICIPANT, email="amir@example.org")
    wrong = {"email": "amir@example.org", "password": "wrong again"}

    statuses = [client.post("/login", data=wrong).status_code for _ in range(6)]
    # Even the right password waits while the account is paused.
    right = client.post("/login", data={"email": "amir@example.org", "password": TEST_PASSWORD})

    assert statuses == [200, 200, 429, 429, 429, 429] and right.status_code == 429
    entries = [(entry.actor_id, entry.summary) for entry in failed_logins()]
    # Two counted failures, then throttled posts up to the allowance: a flood fills no table.
    assert entries == [(amir.id, "wrong_password")] * 2 + [(amir.id, "throttled")] * 2


def test_a_throttled_post_with_a_forged_token_writes_nothing(app, client, tight_login_limits):
    app.config["WTF_CSRF_ENABLED"] = True
    with client.session_transaction() as session:
        session["csrf_token"] = "raw"
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps("raw")
    wrong = {"email": "someone@example.org", "password": "wrong again"}
    for _ in range(2):
        client.post("/login", data={**wrong, "csrf_token": token})
    before = len(failed_logins())

    forged = client.post("/login", data={**wrong, "csrf_token": "forged"})

    assert forged.status_code == 429
    assert len(failed_logins()) == before


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
