"""Test fixtures: an app per test on a freshly migrated database, clients and factories.

The schema is built once per test session by running the migrations; each test then gets a copy
of that SQLite file, or, on PostgreSQL (MARKETPLACE_TEST_DATABASE_URL), emptied tables. The demo
data is likewise loaded once per session and copied into each test that asks for it
(``demo_database``). Templates are compiled once per session and shared by every test's app.

With MARKETPLACE_TEST_NOW set to an instant (ISO 8601 with its offset, e.g. 2026-03-28T23:30:00Z)
the whole session runs from that instant on, the clock ticking: the site's clock, the tests' dates
and cookie and token ages all follow it. CI uses it to run the date-sensitive tests at hours when a
site's date differs from UTC's and on a daylight-saving night.
"""

from __future__ import annotations

import itertools
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pytest
import sqlalchemy as sa
import time_machine
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from itsdangerous import URLSafeTimedSerializer

from marketplace import create_app
from marketplace.accounts.models import RoleGrant, User, UserSession
from marketplace.accounts.roles import Role
from marketplace.auth.sessions import hash_token
from marketplace.config import normalise_database_url
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.sites.models import Site

# Every test fails if a line it logs carries a password, a token or an e-mail address.
pytest_plugins = ["tests.log_guard"]

TEST_PASSWORD = "correct horse battery"
# Hashing with scrypt costs ~100 ms; tests use a cheap method (production's is checked apart).
FAST_HASH = "pbkdf2:sha256:1"
POSTGRES_URL = os.environ.get("MARKETPLACE_TEST_DATABASE_URL")
TEST_NOW = os.environ.get("MARKETPLACE_TEST_NOW", "").strip()


def instant_from_setting(text: str) -> datetime:
    """The instant MARKETPLACE_TEST_NOW names; it must carry its offset (a bare wall-clock time
    would mean a different instant on every machine)."""
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        instant = None
    if instant is None or instant.utcoffset() is None:
        raise pytest.UsageError(
            f"MARKETPLACE_TEST_NOW={text!r} is not an ISO 8601 instant with an offset, "
            "such as 2026-03-28T23:30:00Z"
        )
    return instant.astimezone(UTC)


_time_travel: time_machine.travel | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Move the whole session, test modules' import included, to MARKETPLACE_TEST_NOW."""
    global _time_travel
    if TEST_NOW and _time_travel is None:
        _time_travel = time_machine.travel(instant_from_setting(TEST_NOW), tick=True)
        _time_travel.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _time_travel
    if _time_travel is not None:
        _time_travel.stop()
        _time_travel = None


# Tests that take a minute or more each: started first, so that the other tests fill the
# workers around them rather than leaving one worker busy with them at the end of the run.
LONGEST_TESTS = ("tests/test_hostile_input.py::", "tests/test_access_matrix.py::")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_TESTS))


def pytest_report_header(config: pytest.Config) -> str | None:
    if TEST_NOW:
        instant = instant_from_setting(TEST_NOW).isoformat()
        return f"clock: the session starts at {instant} (MARKETPLACE_TEST_NOW)"
    return None


# The tests run the development configuration explicitly: a server started without
# MARKETPLACE_ENV is a production one, which refuses to start without a secret and a server name.
os.environ["MARKETPLACE_ENV"] = "development"


def base_config(database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "PASSWORD_HASH_METHOD": FAST_HASH,
        "RATELIMIT_STORAGE_URI": "memory://",
        # No SERVER_NAME: links come from configuration (marketplace/links.py), never from a
        # request, so services and commands work without one; e-mails name localhost:5000.
        # Forms are posted without tokens; tests/test_csrf.py turns protection back on.
        "WTF_CSRF_ENABLED": False,
    }


def _database_of_this_worker(url: str) -> str:
    """With pytest-xdist (``-n``) each worker empties and fills its own database, named after
    the configured one and the worker (``test_gw0``), created on first use; alone, the
    configured database itself."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    configured = sa.engine.make_url(normalise_database_url(url))
    name = f"{configured.database}_{worker}"
    engine = sa.create_engine(configured, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        _commit_without_waiting_for_the_disk(connection, name)
    engine.dispose()
    return configured.set(database=name).render_as_string(hide_password=False)


def _commit_without_waiting_for_the_disk(connection, name: str) -> None:
    """A test database is thrown away after the run: its commits need not survive a power cut,
    so PostgreSQL answers them without waiting for the disk (every test commits often).
    Visibility, locks and isolation between transactions are unchanged."""
    connection.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> str:
    """The URL of a database upgraded from empty by the migrations, once per session."""
    if POSTGRES_URL:
        url = _database_of_this_worker(POSTGRES_URL)
        if url == POSTGRES_URL:  # one process: the configured database itself
            engine = sa.create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
            with engine.connect() as connection:
                _commit_without_waiting_for_the_disk(connection, engine.url.database)
            engine.dispose()
        engine = sa.create_engine(normalise_database_url(url))
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite'}"
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _empty_postgres_tables() -> None:
    """Every table emptied and every id sequence back at its start, as after the migrations.

    A test fills a few tables with a few rows: deleting those rows is much quicker than
    truncating all tables (which makes new files for each one and waits for the disk)."""
    tables = [table for table in db.metadata.sorted_tables if table.name != "alembic_version"]
    quote = db.engine.dialect.identifier_preparer.quote
    filled = db.session.execute(
        sa.text("SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {quote(t.name)})" for t in tables))
    ).one()
    # Children before their parents, so that no foreign key is left pointing nowhere.
    for table, has_rows in reversed(list(zip(tables, filled, strict=True))):
        if has_rows:
            db.session.execute(table.delete())
    # Sequences never used since their last restart show no last value.
    db.session.execute(
        sa.text(
            "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false)"
            " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
        )
    )
    db.session.commit()


def _sqlite_copy(template_url: str, tmp_path: Path) -> str:
    copy = tmp_path / "test.sqlite"
    shutil.copyfile(template_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def database_url(migrated_database, tmp_path) -> str:
    if POSTGRES_URL:
        return migrated_database
    return _sqlite_copy(migrated_database, tmp_path)


@dataclass
class DemoDatabase:
    """The demo data (``flask demo load``), loaded once per session: loading it takes seconds,
    copying it milliseconds. Each test that uses it starts from the demo as loaded, whatever an
    earlier test changed: on SQLite with a copy of the file, on PostgreSQL with its rows put
    back into the emptied tables (ids and id sequences as loaded)."""

    url: str
    rows: dict[str, list[dict]] | None  # PostgreSQL
    secrets: dict[str, str]  # tokens and passwords made while loading, for the log guard

    def database_url_for(self, tmp_path: Path) -> str:
        return self.url if POSTGRES_URL else _sqlite_copy(self.url, tmp_path)

    def put_back(self, config: pytest.Config) -> None:
        """In the test's app context, with the database from ``database_url_for``."""
        from tests.access_requests import restore
        from tests.log_guard import GUARD

        if self.rows is not None:
            restore(self.rows)
        # The log guard looks for the secrets made during this test; the demo's were made
        # while loading it, so they are handed over again.
        config.stash[GUARD].known.recorded.update(self.secrets)


@pytest.fixture(scope="session")
def demo_database(migrated_database, tmp_path_factory, pytestconfig) -> DemoDatabase:
    from tests.access_requests import snapshot
    from tests.log_guard import GUARD

    known = pytestconfig.stash[GUARD].known
    before = dict(known.recorded)
    if POSTGRES_URL:
        url = migrated_database
    else:
        url = _sqlite_copy(migrated_database, tmp_path_factory.mktemp("demo"))
    app = create_test_app(base_config(url))
    rows = None
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert "Loaded demo data" in result.output, result.output
        if POSTGRES_URL:
            rows = snapshot()
            _empty_postgres_tables()
        db.session.remove()
        db.engine.dispose()
    made = {value: kind for value, kind in known.recorded.items() if value not in before}
    return DemoDatabase(url, rows, made)


@pytest.fixture
def app_config(database_url) -> dict:
    """Override in a test module to change configuration for its tests."""
    return base_config(database_url)


class IsolatedClient(FlaskClient):
    """A client whose requests run in their own app context, as on a real server.

    The test itself holds an app context for its factories; without this, requests would share
    its ``g`` (and so Flask-Login's current user) and its database session. The test's own
    transaction is committed first so that it holds no lock while the request runs.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        # A streamed answer (the audit log as CSV) is read to its end here, as a server would,
        # while the request's contexts are still the ones it pushed.
        kwargs.setdefault("buffered", True)
        outer_context = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(outer_context)


class SharedTemplateCode(jinja2.BytecodeCache):
    """Compiled templates kept for the whole session and shared by every test's app.

    Each test makes a new app, and with it a new Jinja environment that would compile again
    every template it renders. All these apps are made by ``create_app`` alike, so a template's
    code is the same in each; a template whose source changes is compiled again (its checksum
    differs)."""

    def __init__(self):
        self.code: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        checksum, code = self.code.get(bucket.key, (None, None))
        if code is not None and checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.code)


TEMPLATE_CODE = SharedTemplateCode()


def _write_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """A test's SQLite file is thrown away after the test: with its write-ahead log, commits need
    not reach the disk at once (they still do at each checkpoint). Locks, visibility and
    isolation are unchanged."""
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def create_test_app(config: dict):
    app = create_app(config)
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _write_without_waiting_for_the_disk)
    return app


@pytest.fixture
def app(app_config):
    app = create_test_app(app_config)
    with app.app_context():
        yield app
        db.session.remove()
        if POSTGRES_URL:
            _empty_postgres_tables()
        db.engine.dispose()


def english_client(app):
    """A client whose browser asks for English, so tests can read the English text."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def client(app):
    return english_client(app)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_site(app):
    def make(slug: str = "riga", **values) -> Site:
        existing = db.session.scalar(sa.select(Site).where(Site.slug == slug))
        if existing is not None:
            return existing
        defaults = {
            "riga": dict(
                name="Riga",
                country_code="LV",
                timezone="Europe/Riga",
                default_locale="lv",
                local_locale="lv",
            ),
            "linkoping": dict(
                name="Linköping",
                country_code="SE",
                timezone="Europe/Stockholm",
                default_locale="sv",
                local_locale="sv",
            ),
        }.get(
            slug,
            dict(
                name=slug.title(),
                country_code="LV",
                timezone="Europe/Riga",
                default_locale="en",
                local_locale="lv",
            ),
        )
        site = Site(slug=slug, **{**defaults, **values})
        db.session.add(site)
        db.session.commit()
        return site

    return make


@pytest.fixture
def make_user(app, make_site):
    def make(*roles: Role, site: str = "riga", email: str | None = None, **values) -> User:
        home = make_site(site)
        values.setdefault("email_confirmed_at", utcnow())
        user = User(
            email=email or f"person{next(_counter)}@example.org",
            display_name=values.pop("display_name", "Test Person"),
            site=home,
            **values,
        )
        user.set_password(TEST_PASSWORD, FAST_HASH)
        for role in roles:
            user.role_grants.append(
                RoleGrant(role=role, site=None if role is Role.SUPER_ADMIN else home)
            )
        db.session.add(user)
        db.session.commit()
        return user

    return make


def log_in(client, user: User, user_agent: str = "pytest") -> UserSession:
    """Sign a test client in by opening a server-side session and putting its token in the
    client's cookie, as a real login would, without posting the login form."""
    token = secrets.token_urlsafe(24)
    now = utcnow()
    record = UserSession(
        user_id=user.id,
        token_hash=hash_token(token),
        created_at=now,
        last_seen_at=now,
        user_agent=user_agent,
    )
    db.session.add(record)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return record


@pytest.fixture
def signed_in_client(app, make_user):
    """A client signed in as a new user holding ``roles``."""

    def make(*roles: Role, **values):
        user = make_user(*roles, **values)
        client = english_client(app)
        log_in(client, user)
        return client, user

    return make


ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    """The app served by gunicorn with several worker processes, on the test's database."""

    url: str
    app: object

    def signed_in_cookie(self, user: User) -> tuple[str, str]:
        """A session cookie for ``user`` and the CSRF token that goes with it, as a browser
        would hold after logging in."""
        token, raw_csrf = secrets.token_urlsafe(24), secrets.token_hex(20)
        now = utcnow()
        db.session.add(
            UserSession(
                user_id=user.id,
                token_hash=hash_token(token),
                created_at=now,
                last_seen_at=now,
                user_agent="load test",
            )
        )
        db.session.commit()
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        cookie = serializer.dumps({"_user_id": token, "_fresh": True, "csrf_token": raw_csrf})
        csrf = URLSafeTimedSerializer(self.app.secret_key, salt="wtf-csrf-token").dumps(raw_csrf)
        return cookie, csrf

    def post(self, path: str, cookie: str, form: dict) -> tuple[int, str]:
        request = urllib.request.Request(
            self.url + path,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Cookie": f"session={cookie}", "Accept-Language": "en"},
            method="POST",
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def live_server_env() -> dict:
    """Override in a test module to give the live server more MARKETPLACE_* settings."""
    return {}


@pytest.fixture
def live_server(app, database_url, live_server_env):
    """Reusable: gunicorn with 3 workers serving this test's database (SQLite file or
    PostgreSQL), for tests of behaviour under concurrent requests."""
    if TEST_NOW:
        pytest.skip("the live server runs on the machine's clock, not at MARKETPLACE_TEST_NOW")
    db.session.commit()
    db.engine.dispose()
    port = _free_port()
    environment = {
        **os.environ,
        "MARKETPLACE_DATABASE_URL": database_url,
        "MARKETPLACE_SECRET_KEY": app.secret_key,
        "MARKETPLACE_ENV": "development",
        **live_server_env,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=str(ROOT),
        env=environment,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:  # not listening yet
                time.sleep(0.1)
        else:
            raise RuntimeError("the live server did not start")
        yield LiveServer(url, app)
    finally:
        server.terminate()
        server.wait(timeout=20)


def pytest_terminal_summary(terminalreporter):
    from tests.browser.conftest import SCREENSHOTS

    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(
            f"Screenshots of every page the browser tests visited: {SCREENSHOTS}"
        )
