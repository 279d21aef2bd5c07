"""Failed logins are counted per IP address, in Redis when more than one worker runs."""

import os

import pytest

from marketplace.extensions import limiter
from tests.conftest import TEST_PASSWORD, base_config

REDIS_URL = os.environ.get("MARKETPLACE_TEST_REDIS_URL")


@pytest.fixture
def app_config(database_url):
    return {
        **base_config(database_url),
        "LOGIN_FAILURES_PER_IP": "3 per minute",
        "RATELIMIT_STORAGE_URI": REDIS_URL or "memory://",
    }


@pytest.fixture(autouse=True)
def fresh_counters(app):
    limiter.reset()
    yield
    limiter.reset()


def fail_login(client):
    return client.post("/login", data={"email": "a@example.org", "password": "wrong password"})


def check_failures_are_limited_but_successes_are_not(app, make_user):
    make_user(email="ok@example.org")
    client = app.test_client()
    for _ in range(5):
        ok = client.post("/login", data={"email": "ok@example.org", "password": TEST_PASSWORD})
        assert ok.status_code == 302
        client.post("/logout")
    assert [fail_login(client).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Too many attempts" in fail_login(client).get_data(as_text=True)
    # Another worker process sharing the storage sees the same count.
    assert fail_login(app.test_client()).status_code == 429


def test_failed_logins_are_limited_per_address(app, make_user):
    check_failures_are_limited_but_successes_are_not(app, make_user)


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="set MARKETPLACE_TEST_REDIS_URL to run against Redis")
def test_failed_logins_are_counted_in_redis(app, make_user):
    assert limiter._storage.check()
    assert "redis" in type(limiter._storage).__name__.lower()
    check_failures_are_limited_but_successes_are_not(app, make_user)
