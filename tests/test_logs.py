"""No log line carries a password, an e-mail address or a token.

tests/log_guard.py checks the lines of every test. These tests show that it catches each kind of
secret, so it cannot pass silently, and walk the flows that handle secrets with every log line
kept, so they hold with or without the guard.
"""

import logging
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from marketplace import create_app
from marketplace.authz import public
from marketplace.extensions import db, limiter
from tests import log_guard
from tests.conftest import ROOT, TEST_PASSWORD, base_config
from tests.mail_helpers import inbox, link_in
from tests.test_registration import GOOD_PASSWORD, registration

ADDRESS = "olena@example.org"


def kinds_found(known: log_guard.KnownSecrets, line: str) -> list[str]:
    return [kind for kind, _value in known.found_in(line)]


# The guard itself ------------------------------------------------------------------------------


def test_each_kind_of_secret_is_found_in_a_line_but_a_masked_address_is_not():
    known = log_guard.KnownSecrets({TEST_PASSWORD: "password"})
    token = "Zx3_kQ9-pL2mN8vR4tY6wA1b"
    known.record(token, "token", log_guard.SHORTEST_TOKEN)

    assert kinds_found(known, f"login with {TEST_PASSWORD!r}") == ["password"]
    assert kinds_found(known, f"mail to {ADDRESS}") == ["e-mail address"]
    assert kinds_found(known, f"GET /password/reset/{token}") == ["token"]
    assert kinds_found(known, "mail to o***@example.org for user 7") == []


def test_values_too_short_to_be_secrets_are_not_recorded():
    known = log_guard.KnownSecrets({})
    known.record("abc", "password", log_guard.SHORTEST_PASSWORD)
    known.record("3f2a", "token", log_guard.SHORTEST_TOKEN)
    assert kinds_found(known, "abc 3f2a") == []


GUARDED_TESTS = f"""
import logging
import secrets
import subprocess
import sys

import pytest
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict
from wtforms import Form, PasswordField

from tests.conftest import TEST_PASSWORD

log = logging.getLogger("marketplace.example")
log.warning("collected while {ADDRESS} watched")


@pytest.fixture
def live_server():
    # A separate process writing its log to the standard error it shares, as gunicorn does.
    subprocess.run([sys.executable, "-c", "import sys; sys.stderr.write('GET {ADDRESS}')"])


def test_live_server_logs_an_address(live_server):
    pass


def test_logs_a_password():
    log.warning("login with %s", TEST_PASSWORD)


def test_a_library_logs_an_address():
    logging.getLogger("flask-limiter").info("limit reached for %s", "{ADDRESS}")


def test_logs_a_token_at_debug_level():
    log.debug("link %s", secrets.token_urlsafe(24))


def test_logs_a_signed_link():
    log.info("link %s", URLSafeTimedSerializer("key").dumps({{"user": 7}}))


def test_logs_a_typed_password():
    class LoginForm(Form):
        password = PasswordField()

    form = LoginForm(MultiDict({{"password": "typed secret words"}}))
    log.info("tried %s", form.password.data)


def test_logs_an_address_in_a_traceback():
    try:
        raise ValueError("no account for {ADDRESS}")
    except ValueError:
        log.exception("reset failed")


def test_logs_an_id_and_a_masked_address():
    log.info("mail to %s for user %d", "o***@example.org", 7)
"""


def test_guard_fails_each_test_that_logs_a_secret(tmp_path):
    # A separate pytest process: a leak in it must not reach this test's own guard.
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_guarded.py").write_text(GUARDED_TESTS)
    pytest_command = [sys.executable, "-m", "pytest", "-p", "tests.log_guard"]
    run = subprocess.run(
        [*pytest_command, "-p", "no:cacheprovider", "-q", "--color=no", str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = run.stdout

    assert run.returncode == 1, report
    assert "6 failed, 1 passed, 1 error" in report  # a leak in a fixture is an error
    failed = dict(
        re.findall(r"_ (?:ERROR at \w+ of )?(\w+) _+\nSecrets in log lines \((\w+)\)", report)
    )
    assert failed == {
        "test_live_server_logs_an_address": "setup",
        "test_logs_a_password": "call",
        "test_a_library_logs_an_address": "call",
        "test_logs_a_token_at_debug_level": "call",
        "test_logs_a_signed_link": "call",
        "test_logs_a_typed_password": "call",
        "test_logs_an_address_in_a_traceback": "call",
    }
    assert "password in a log line: WARNING marketplace.example: login with" in report
    assert "token in a log line: DEBUG marketplace.example: link" in report
    assert "token in a log line: INFO marketplace.example: link" in report
    assert "password in a log line: INFO marketplace.example: tried" in report
    assert "reset failed … ValueError: no account for olena@example.org" in report
    assert "Secrets in log lines written outside any test" in report
    assert f"collected while {ADDRESS} watched" in report


# Flows that handle secrets ---------------------------------------------------------------------


@pytest.fixture
def log_lines(caplog):
    """Every line the site and its libraries log during the test, at the levels a production
    set-up may show."""
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger=log_guard.SITE_LOGGER)
    caplog.set_level(logging.WARNING, logger=log_guard.SQL_ECHO_LOGGER)
    log_guard.enable_every_logger()
    return lambda: [log_guard.format_line(record) for record in caplog.records]


def leaks(lines: list[str], *secrets: str) -> list[str]:
    known = log_guard.KnownSecrets(dict.fromkeys(secrets, "secret"))
    return [leak.describe() for leak in log_guard.find_leaks(known, lines, "log")]


@pytest.fixture
def fresh_counters(app):
    limiter.reset()
    yield
    limiter.reset()


def test_failed_logins_up_to_the_limit_log_no_password_or_address(
    app, client, make_user, log_lines, fresh_counters
):
    make_user(email=ADDRESS)
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = "2 per minute"
    guesses = ["my old password", "my other password", "one more password"]

    statuses = [
        client.post("/login", data={"email": ADDRESS, "password": guess}).status_code
        for guess in guesses
    ]
    client.post("/login", data={"email": "nobody@example.org", "password": "anything at all"})

    assert statuses == [200, 200, 429]
    assert leaks(log_lines(), *guesses) == []


def test_password_reset_logs_no_address_link_or_password(client, make_user, log_lines):
    make_user(email=ADDRESS)
    client.post("/password/forgot", data={"email": ADDRESS})
    link = link_in(inbox(ADDRESS)[0])
    client.get(link)
    client.post(link, data={"password": "new secret words", "confirm": "new secret words"})
    login = client.post("/login", data={"email": ADDRESS, "password": "new secret words"})

    assert login.headers["Location"] == "/dashboard"
    assert leaks(log_lines(), link.rsplit("/", 1)[-1], "new secret words") == []


def test_registration_and_mail_captured_in_development_log_nothing_secret(
    client, make_site, runner, log_lines
):
    client.post("/register", data=registration(make_site("riga").id, email=ADDRESS))
    [message] = inbox(ADDRESS)
    assert client.get("/dev/mail/").status_code == 200
    assert client.get(f"/dev/mail/{message.id}").status_code == 200
    client.get(link_in(message))
    sending = runner.invoke(args=["outbox", "send"])

    assert "mail stays captured" in sending.output
    assert leaks(log_lines(), link_in(message).rsplit("/", 1)[-1], GOOD_PASSWORD) == []


class UniqueViolation(Exception):
    """What PostgreSQL's driver raises for a duplicate: the row's key is in its text."""

    diag = SimpleNamespace(constraint_name="uq_user_account_email")


def failing_statements():
    duplicate = sa.exc.IntegrityError(
        "INSERT INTO user_account (email) VALUES (%(email)s)",
        {"email": ADDRESS},
        UniqueViolation(
            'duplicate key value violates unique constraint "uq_user_account_email"\n'
            f"DETAIL:  Key (email)=({ADDRESS}) already exists."
        ),
    )

    def insert_without_a_password():
        db.session.execute(
            sa.text("INSERT INTO user_account (email) VALUES (:email)"), {"email": ADDRESS}
        )

    def raise_duplicate():
        raise duplicate

    return {"this database": insert_without_a_password, "PostgreSQL": raise_duplicate}


@pytest.mark.parametrize(
    ("database", "problem"),
    [("this database", "IntegrityError"), ("PostgreSQL", "UniqueViolation uq_user_account_email")],
)
def test_unexpected_database_error_is_logged_without_the_rows_values(
    database_url, log_lines, database, problem
):
    # Errors reach the handlers, as in production.
    app = create_app({**base_config(database_url), "TESTING": False})
    failing = failing_statements()[database]

    @app.get("/boom")
    @public
    def boom():
        failing()

    try:
        response = app.test_client().get("/boom")
    finally:
        with app.app_context():
            db.engine.dispose()

    lines = log_lines()
    assert response.status_code == 500
    [logged] = [line for line in lines if "Unhandled error" in line]
    assert "INSERT INTO user_account" in logged
    assert problem in logged  # what went wrong is still said
    assert leaks(lines) == []
