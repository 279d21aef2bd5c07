"""Limits hold on a real server whose worker processes share one Redis: requests fired at the
same instant land on different workers, yet together they get no more than the limit allows.

Every request comes from 127.0.0.1, as from a classroom behind one address.
"""

import http.cookiejar
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
import redis
import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.applications import services as applications
from marketplace.applications.models import Application
from marketplace.conversations.models import Message
from marketplace.extensions import db
from tests.application_helpers import approved_participant, make_world, posting_for
from tests.conftest import TEST_PASSWORD
from tests.mail_helpers import inbox

REDIS_URL = os.environ.get("MARKETPLACE_TEST_REDIS_URL")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="set MARKETPLACE_TEST_REDIS_URL to run against Redis"),
]

WRONG_PASSWORD = "not my password"
NOT_CORRECT = "The e-mail or password is not correct."
TOO_MANY = "Too many attempts"


@pytest.fixture
def live_server_env() -> dict:
    return {
        "MARKETPLACE_RATELIMIT_STORAGE_URI": REDIS_URL,
        "MARKETPLACE_LOGIN_FAILURES_PER_ACCOUNT": "3 per minute",
        "MARKETPLACE_LOGIN_FAILURES_PER_IP": "6 per minute",
        "MARKETPLACE_REGISTRATIONS_PER_IP": "3 per minute",
        "MARKETPLACE_PASSWORD_RESET_REQUESTS_PER_IP": "3 per minute",
        "MARKETPLACE_MESSAGES_PER_USER": "3 per minute",
    }


@pytest.fixture(autouse=True)
def empty_counters():
    """Database 15 holds only the limiter's counters, which must not leak between tests."""
    storage = redis.Redis.from_url(REDIS_URL)
    storage.flushdb()
    yield
    storage.flushdb()
    storage.close()


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: its own cookies, English pages, redirects shown, not followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _KeepRedirects
        )
        self.csrf_token = None

    def request(self, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """Status, body and the Location header of one GET (or POST, with ``form``)."""
        request = urllib.request.Request(
            self.base_url + path,
            data=urllib.parse.urlencode(form).encode() if form is not None else None,
            headers={"Accept-Language": "en"},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def open_form(self, path: str) -> "Browser":
        """Load a form page, keeping its session cookie and CSRF token for the submit."""
        status, body, _location = self.request(path)
        assert status == 200
        self.csrf_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
        return self

    def submit(self, path: str, form: dict) -> tuple[int, str, str]:
        return self.request(path, {"csrf_token": self.csrf_token, **form})

    def log_in(self, email: str, password: str) -> tuple[int, str, str]:
        return self.submit("/login", {"email": email, "password": password})


def at_once(actions) -> list:
    """Run every action in its own thread, all released at the same instant; their results in
    order. The server's three workers then take the requests side by side."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        results[index] = action()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def browsers_on(live_server, path: str, count: int) -> list[Browser]:
    return [Browser(live_server.url).open_form(path) for _ in range(count)]


def logins_at_once(live_server, attempts: list[tuple[str, str]]) -> list[tuple[int, str, str]]:
    """Each (e-mail, password) typed by someone in their own browser, all sent together."""
    browsers = browsers_on(live_server, "/login", len(attempts))
    return at_once(
        [
            lambda browser=browser, attempt=attempt: browser.log_in(*attempt)
            for browser, attempt in zip(browsers, attempts, strict=True)
        ]
    )


def statuses(results) -> Counter:
    return Counter(result[0] for result in results)


def test_failed_logins_are_counted_per_account_and_per_address(app, make_user, live_server):
    victim = make_user(email="victim@example.org").email
    others = [make_user().email for _ in range(5)]
    db.session.commit()

    # Six guesses at the same instant, spread over the workers: exactly three are answered
    # (each attempt takes its place in Redis before the password is checked), three refused.
    guesses = logins_at_once(live_server, [(victim, WRONG_PASSWORD)] * 6)
    assert statuses(guesses) == {200: 3, 429: 3}
    assert sum(NOT_CORRECT in body for _status, body, _location in guesses) == 3
    assert sum(TOO_MANY in body for _status, body, _location in guesses) == 3

    # The owner, locked out of logging in, can still ask for a new password.
    owner = Browser(live_server.url).open_form("/password/forgot")
    assert owner.submit("/password/forgot", {"email": victim})[0] == 302
    assert len(inbox(victim)) == 1
    db.session.commit()

    # Per address: three failures are counted already; three more, at other accounts, reach
    # the address's limit of six...
    third = logins_at_once(live_server, [(email, WRONG_PASSWORD) for email in others[:3]])
    assert statuses(third) == {200: 3}
    # ...after which nobody at that address gets in for now, not even with the right password.
    attempts = [
        (others[3], WRONG_PASSWORD),
        (others[4], WRONG_PASSWORD),
        (others[0], TEST_PASSWORD),
    ]
    assert statuses(logins_at_once(live_server, attempts)) == {429: 3}


def test_registrations_and_reset_requests_are_counted_per_address(app, make_user, live_server):
    site_id = make_user(email="forgetful0@example.org").site_id
    forgetful = [make_user(email=f"forgetful{n}@example.org").email for n in range(1, 6)]
    db.session.commit()

    newcomers = browsers_on(live_server, "/register", 6)
    results = at_once(
        [
            lambda b=b, n=n: b.submit(
                "/register",
                {
                    "display_name": f"Newcomer {n}",
                    "email": f"newcomer{n}@example.org",
                    "password": "a long enough secret",
                    "confirm": "a long enough secret",
                    "role": "participant",
                    "site": site_id,
                    "consent": "y",
                },
            )
            for n, b in enumerate(newcomers)
        ]
    )
    assert statuses(results) == {302: 3, 429: 3}
    assert all(
        location.endswith("/register/check-your-email")
        for status, _body, location in results
        if status == 302
    )
    registered = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.email.like("newcomer%"))
    )
    db.session.commit()
    assert registered == 3

    askers = browsers_on(live_server, "/password/forgot", 6)
    emails = ["forgetful0@example.org", *forgetful]
    results = at_once(
        [
            lambda b=b, email=email: b.submit("/password/forgot", {"email": email})
            for b, email in zip(askers, emails, strict=True)
        ]
    )
    assert statuses(results) == {302: 3, 429: 3}
    assert all(TOO_MANY in body for status, body, _ in results if status == 429)
    assert sum(len(inbox(email)) for email in emails) == 3
    db.session.commit()


def test_messages_are_counted_per_person(app, make_user, live_server):
    world = make_world(app, make_user)
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        application = applications.apply(
            profile.user, profile, posting_for(app, world, kind="job"), "I would like to learn."
        )
    thread_path = f"/messages/application/{application.id}"
    cookie, csrf = live_server.signed_in_cookie(profile.user)
    db.session.commit()

    results = at_once(
        [
            lambda n=n: live_server.post(
                thread_path, cookie, {"csrf_token": csrf, "body": f"Hello {n}"}
            )
            for n in range(6)
        ]
    )
    assert Counter(status for status, _body in results) == {302: 3, 429: 3}
    assert all(TOO_MANY in body for status, body in results if status == 429)
    stored = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Message)
        .where(Message.thread_kind == "application", Message.thread_id == application.id)
    )
    db.session.commit()
    assert stored == 3


def test_simultaneous_applications_never_exceed_the_open_limit(
    app, make_user, make_site, live_server
):
    world = make_world(app, make_user)
    make_site("riga").max_open_applications = 2
    profile = approved_participant(app, make_user, world.coordinator)
    posting_ids = [posting_for(app, world, kind="job").id for _ in range(6)]
    cookie, csrf = live_server.signed_in_cookie(profile.user)
    profile_id = profile.id
    db.session.commit()

    results = at_once(
        [
            lambda posting_id=posting_id: live_server.post(
                f"/applications/apply/{posting_id}",
                cookie,
                {"csrf_token": csrf, "motivation": "I would like to learn."},
            )
            for posting_id in posting_ids
        ]
    )
    # A sent application opens its own page; a refused one goes back to the posting's page.
    assert all(status == 302 for status, _body in results)
    landed = Counter(re.search(r'href="/(\w+)/', body).group(1) for _status, body in results)
    assert landed == {"applications": 2, "postings": 4}
    stored = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(Application.participant_id == profile_id)
    )
    db.session.commit()
    assert stored == 2


class TestAClassroomBehindOneAddress:
    @pytest.fixture
    def live_server_env(self) -> dict:
        # The production limits for failed logins, as a real classroom would meet them.
        return {"MARKETPLACE_RATELIMIT_STORAGE_URI": REDIS_URL}

    def test_thirty_people_log_in_at_once(self, app, make_user, live_server):
        emails = [make_user(email=f"pupil{n}@example.org").email for n in range(30)]
        db.session.commit()
        pupils = browsers_on(live_server, "/login", 30)
        clumsy = set(range(0, 30, 6))  # five of them mistype their password first

        def log_in(browser, email, mistypes):
            answers = [browser.log_in(email, WRONG_PASSWORD)] if mistypes else []
            return [*answers, browser.log_in(email, TEST_PASSWORD)]

        results = at_once(
            [
                lambda browser=browser, email=email, n=n: log_in(browser, email, n in clumsy)
                for n, (browser, email) in enumerate(zip(pupils, emails, strict=True))
            ]
        )
        mistakes = [answers[0] for answers in results if len(answers) == 2]
        assert len(mistakes) == 5
        assert all(status == 200 and NOT_CORRECT in body for status, body, _ in mistakes)
        logins = [answers[-1] for answers in results]
        assert [status for status, _body, _location in logins] == [302] * 30
        assert all(location.endswith("/dashboard") for _status, _body, location in logins)
