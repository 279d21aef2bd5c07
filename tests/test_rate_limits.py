"""Failed logins are limited per account and per IP address; registrations and reset requests
per IP address. Counters live in Redis when more than one worker runs. A post with a missing or
stale CSRF token never counts against a limit, and once a limit is used up every post is
answered 429."""

import logging
import os
import secrets

import pytest
from itsdangerous import URLSafeTimedSerializer
from limits import parse

from marketplace.config import load_config
from marketplace.extensions import limiter
from tests.access_requests import tables_written
from tests.conftest import TEST_PASSWORD, base_config, english_client

REDIS_URL = os.environ.get("MARKETPLACE_TEST_REDIS_URL")


@pytest.fixture
def app_config(database_url):
    return {
        **base_config(database_url),
        "LOGIN_FAILURES_PER_IP": "5 per minute",
        "LOGIN_FAILURES_PER_ACCOUNT": "3 per minute",
        "PASSWORD_RESET_REQUESTS_PER_IP": "2 per minute",
        "RATELIMIT_STORAGE_URI": REDIS_URL or "memory://",
    }


@pytest.fixture(autouse=True)
def fresh_counters(app):
    limiter.reset()
    yield
    limiter.reset()


def from_address(app, address: str):
    client = english_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail_login(client, email="a@example.org"):
    return client.post("/login", data={"email": email, "password": "wrong password"})


def check_limits(app, make_user):
    make_user(email="ok@example.org")
    make_user(email="victim@example.org")
    classroom = from_address(app, "10.0.0.1")

    # Successful logins never count.
    credentials = {"email": "ok@example.org", "password": TEST_PASSWORD}
    for _ in range(6):
        assert classroom.post("/login", data=credentials).status_code == 302
        classroom.post("/logout")

    # Per account: the fourth failure for one account is refused, from any address...
    statuses = [
        fail_login(from_address(app, f"10.0.1.{n}"), "victim@example.org").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert "Too many attempts" in fail_login(classroom, "victim@example.org").get_data(as_text=True)
    # ...but the owner can still reset the password.
    assert (
        classroom.post("/password/forgot", data={"email": "victim@example.org"}).status_code == 302
    )

    # Per address: a sixth failure from one address is refused, whatever the account.
    other = from_address(app, "10.0.0.2")
    statuses = [fail_login(other, f"user{n}@example.org").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    # A worker sharing the same storage sees the same counts.
    assert fail_login(from_address(app, "10.0.0.2"), "new@example.org").status_code == 429

    # Reset requests per address.
    burst = from_address(app, "10.0.0.3")
    codes = [
        burst.post("/password/forgot", data={"email": "x@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]


def test_login_and_reset_limits(app, make_user):
    check_limits(app, make_user)


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="set MARKETPLACE_TEST_REDIS_URL to run against Redis")
def test_limits_are_counted_in_redis(app, make_user):
    assert "redis" in type(limiter._storage).__name__.lower()
    assert limiter._storage.check()
    check_limits(app, make_user)


# Failures per account and per address (the defaults a site runs with) -------------------------


@pytest.fixture
def default_login_limits(app):
    """The login limits a site runs with: (failures per address, failures per account)."""
    defaults = load_config(app.instance_path)
    for key in ("LOGIN_FAILURES_PER_IP", "LOGIN_FAILURES_PER_ACCOUNT"):
        app.config[key] = defaults[key]
    return (
        parse(defaults["LOGIN_FAILURES_PER_IP"]).amount,
        parse(defaults["LOGIN_FAILURES_PER_ACCOUNT"]).amount,
    )


def test_one_person_mistyping_locks_only_their_own_account(app, make_user, default_login_limits):
    """A programme's group session: everyone behind the school's one address."""
    per_address, per_account = default_login_limits
    anna = make_user(email="anna@example.org")
    classmates = [make_user(email=f"classmate{n}@example.org") for n in range(5)]
    classroom = from_address(app, "10.0.0.1")

    # Anna mistypes her password, and her address too, until each of them is paused:
    # more failures in all than the address's allowance.
    spellings = ["anna@example.org", "ana@example.org", "anna@exmple.org", "anna@example.com",
                 "anna.@example.org", "annaexample.org@", "anna@examle.org", "anna@example.orgg",
                 "anna@example.rog", "anna@@example.org", "anna@exampel.org"]  # fmt: skip
    assert len(spellings) * per_account > per_address
    for spelling in spellings:
        statuses = [fail_login(classroom, spelling).status_code for _ in range(per_account + 1)]
        assert statuses == [200] * per_account + [429], spelling

    # Her own account is paused, even with the right password, but she can reset it...
    right = {"email": anna.email, "password": TEST_PASSWORD}
    assert classroom.post("/login", data=right).status_code == 429
    assert classroom.post("/password/forgot", data={"email": anna.email}).status_code == 302
    # ...and her classmates behind the same address still log in.
    for classmate in classmates:
        browser = from_address(app, "10.0.0.1")
        response = browser.post(
            "/login", data={"email": classmate.email, "password": TEST_PASSWORD}
        )
        assert response.status_code == 302, classmate.email


def test_guessing_many_accounts_from_one_address_reaches_the_address_limit(
    app, make_user, default_login_limits
):
    per_address, _per_account = default_login_limits
    guesser = from_address(app, "10.0.0.9")
    refused_at = None
    for n in range(per_address):
        codes = [fail_login(guesser, f"someone{n}@example.org").status_code for _ in range(2)]
        if 429 in codes:
            refused_at = 2 * n + codes.index(429)
            break
    assert refused_at == per_address
    # The address is closed for now, even for a right password; another address is not.
    make_user(email="ok@example.org")
    right = {"email": "ok@example.org", "password": TEST_PASSWORD}
    assert guesser.post("/login", data=right).status_code == 429
    assert from_address(app, "10.0.0.10").post("/login", data=right).status_code == 302


# Forged or stale tokens never use a limit up, and a limit used up answers every post ----------

LIMITED_FORMS = {
    "/register": "REGISTRATIONS_PER_IP",
    "/confirm/resend": "REGISTRATIONS_PER_IP",
    "/password/forgot": "PASSWORD_RESET_REQUESTS_PER_IP",
}


def with_token(app, client) -> str:
    """Give the client's session a CSRF token, as loading a form does; returns the token."""
    raw = secrets.token_hex(20)
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)


@pytest.mark.parametrize("path", sorted(LIMITED_FORMS))
def test_posts_with_a_bad_token_neither_use_up_a_limit_nor_pass_it(app, caplog, path):
    app.config["WTF_CSRF_ENABLED"] = True
    app.config[LIMITED_FORMS[path]] = "2 per minute"
    browser = from_address(app, "10.0.0.4")
    token = with_token(app, browser)
    form = {"email": "someone@example.org"}

    stale = [browser.post(path, data={**form, "csrf_token": "stale"}) for _ in range(4)]
    assert {response.status_code for response in stale} == {400}
    assert "your form was not sent" in stale[-1].get_data(as_text=True)

    # The two genuine posts the limit allows still go through...
    genuine = [browser.post(path, data={**form, "csrf_token": token}) for _ in range(2)]
    assert 429 not in {response.status_code for response in genuine}
    # ...and after them every post is answered kindly with 429, token or not.
    with tables_written() as written:
        for data in ({**form, "csrf_token": token}, {**form, "csrf_token": "stale"}, form):
            response = browser.post(path, data=data)
            assert response.status_code == 429
            assert "Too many attempts" in response.get_data(as_text=True)
    assert written == set()
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
