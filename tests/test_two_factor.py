"""The optional second login step: set up with an app, log in with its code or a recovery code,
turn off; and required for coordinators where their site says so."""

from __future__ import annotations

import re
import time

import pyotp
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.two_factor import services
from tests.conftest import TEST_PASSWORD, english_client

SECRET_SHOWN = re.compile(r'<code class="user-select-all">([A-Z2-7]+)</code>')


def log_in_with_password(client, user, follow=False):
    return client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD},
        follow_redirects=follow,
    )


def code_for(secret: str, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time()) // totp.interval + steps_ahead)


def turn_on(client) -> tuple[str, list[str]]:
    page = client.get("/account/two-step/").get_data(as_text=True)
    secret = SECRET_SHOWN.search(page).group(1)
    assert "<svg" in page  # the QR code to scan
    done = client.post("/account/two-step/", data={"code": code_for(secret)})
    codes = re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4})</li>", done.get_data(as_text=True))
    return secret, codes


def test_a_person_turns_it_on_and_then_needs_the_code_to_log_in(app, signed_in_client):
    client, user = signed_in_client(Role.MENTOR)
    assert "/account/two-step/" in client.get("/account/").get_data(as_text=True)
    page = client.get("/account/two-step/").get_data(as_text=True)
    secret = SECRET_SHOWN.search(page).group(1)
    wrong = client.post("/account/two-step/", data={"code": "123456"}).get_data(as_text=True)
    assert "This code is not right." in wrong
    assert not services.is_enabled(user)

    done = client.post("/account/two-step/", data={"code": code_for(secret)})
    text = done.get_data(as_text=True)
    assert "The second step is on." in text
    codes = re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4})</li>", text)
    assert len(codes) == 10
    assert services.is_enabled(user)

    browser = english_client(app)
    answer = log_in_with_password(browser, user)
    assert answer.headers["Location"].endswith("/account/two-step/login")
    # The password alone opens nothing.
    assert browser.get("/dashboard").status_code == 302
    assert "This code is not right." in browser.post(
        "/account/two-step/login", data={"code": "000000"}
    ).get_data(as_text=True)
    signed = browser.post(
        "/account/two-step/login", data={"code": code_for(secret, 1)}, follow_redirects=True
    )
    assert signed.request.path == "/dashboard"
    assert browser.get("/dashboard").status_code == 200
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.actor_id == user.id)
    ).all()
    assert "login.second_step_failed" in actions and "login.success" in actions


def test_a_code_works_only_once(app, signed_in_client):
    client, user = signed_in_client(Role.PARTICIPANT)
    secret, _codes = turn_on(client)
    code = code_for(secret, 1)
    first, second = english_client(app), english_client(app)
    log_in_with_password(first, user)
    assert first.post("/account/two-step/login", data={"code": code}).status_code == 302
    log_in_with_password(second, user)
    replay = second.post("/account/two-step/login", data={"code": code})
    assert "This code is not right." in replay.get_data(as_text=True)
    assert second.get("/dashboard").status_code == 302


def test_a_recovery_code_opens_once_and_five_wrong_codes_end_the_attempt(app, signed_in_client):
    client, user = signed_in_client(Role.PARTICIPANT)
    _secret, codes = turn_on(client)
    browser = english_client(app)
    log_in_with_password(browser, user)
    answer = browser.post(
        "/account/two-step/login", data={"code": codes[0].upper()}, follow_redirects=True
    )
    assert answer.request.path == "/dashboard"
    assert services.recovery_codes_left(user) == 9

    again = english_client(app)
    log_in_with_password(again, user)
    for _ in range(4):
        page = again.post("/account/two-step/login", data={"code": codes[0]})
        assert "This code is not right." in page.get_data(as_text=True)
    last = again.post("/account/two-step/login", data={"code": codes[0]}, follow_redirects=True)
    assert "Too many wrong codes. Please log in again." in last.get_data(as_text=True)
    # The waiting session has ended: even the right code does not open it now.
    assert (
        again.post("/account/two-step/login", data={"code": codes[1]})
        .headers["Location"]
        .endswith("/login")
    )


def test_turning_it_off_needs_the_password_and_a_code(app, signed_in_client):
    client, user = signed_in_client(Role.PARTICIPANT)
    secret, _codes = turn_on(client)
    page = client.post(
        "/account/two-step/off", data={"current_password": "not it at all", "code": "1"}
    ).get_data(as_text=True)
    assert "This is not your current password." in page
    assert services.is_enabled(user)
    client.post(
        "/account/two-step/off",
        data={"current_password": TEST_PASSWORD, "code": code_for(secret, 1)},
    )
    assert not services.is_enabled(user)
    assert (
        log_in_with_password(english_client(app), user).headers["Location"].endswith("/dashboard")
    )


def test_a_site_can_require_it_of_its_coordinators(app, signed_in_client, make_site):
    riga = make_site("riga")
    riga.staff_second_factor = True
    db.session.commit()
    coordinator, user = signed_in_client(Role.COORDINATOR)
    answer = coordinator.get("/review/", follow_redirects=True)
    assert answer.request.path == "/account/two-step/"
    assert "Please set it up now." in answer.get_data(as_text=True)
    secret, _codes = turn_on(coordinator)
    assert coordinator.get("/review/").status_code == 200
    # Required: it cannot be turned off.
    refused = coordinator.post(
        "/account/two-step/off",
        data={"current_password": TEST_PASSWORD, "code": code_for(secret, 1)},
    )
    assert refused.status_code == 403
    assert services.is_enabled(user)

    participant, _ = signed_in_client(Role.PARTICIPANT)
    assert participant.get("/dashboard").status_code == 200  # participants choose for themselves


def test_guessing_codes_through_fresh_logins_reaches_the_login_limit(app, signed_in_client):
    """Each password login that still needs its code counts against the account's limit, so
    someone who has the password cannot try codes without end."""
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = "3 per 15 minutes"
    client, user = signed_in_client(Role.PARTICIPANT)
    turn_on(client)
    for _ in range(3):
        browser = english_client(app)
        assert (
            log_in_with_password(browser, user)
            .headers["Location"]
            .endswith("/account/two-step/login")
        )
    assert log_in_with_password(english_client(app), user).status_code == 429
