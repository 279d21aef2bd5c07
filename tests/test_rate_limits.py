"""Failed logins are limited per IP address and per account; registrations and reset requests
per IP address. Counters live in Redis when more than one worker runs."""

import os

import pytest

from marketplace.extensions import limiter
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
