"""Two app servers behind one nginx, as production runs them when one is not enough.

The first tests check the request id and the readiness check (marketplace/request_log.py) on the
test app. The last one starts two gunicorn instances in production settings, sharing the tests'
PostgreSQL database, one Redis for the rate limits and one secret key, behind nginx: a person
signed in on one instance stays signed in on the other, failed logins count against one limit
whichever instance they reach, and stopping one instance mid-run loses no request.

That test needs PostgreSQL (MARKETPLACE_TEST_DATABASE_URL), Redis (MARKETPLACE_TEST_REDIS_URL)
and nginx; it is marked ``two_instances`` and CI runs it in a step of its own, with all three.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import redis

from marketplace import create_app, request_log
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from tests.conftest import POSTGRES_URL, ROOT, TEST_NOW, TEST_PASSWORD, _free_port, base_config
from tests.log_guard import EMAIL_ADDRESS

REDIS_URL = os.environ.get("MARKETPLACE_TEST_REDIS_URL")
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
# The site's public name: the host nginx is asked for and passes on, the only one trusted.
SITE_HOST = "mentoring.example.org"
FAILED_LOGINS_ALLOWED = 4
NOT_CORRECT = "The e-mail or password is not correct."
TOO_MANY = "Too many attempts"
STARTUP_SECONDS = 45


# The request id and the readiness check ---------------------------------------------------------


@pytest.fixture
def logged_app(app):
    # A no-op once create_app registers it itself.
    request_log.register(app)
    return app


def test_a_safe_request_id_from_the_proxy_is_kept_and_returned(logged_app, client):
    response = client.get("/healthz", headers={"X-Request-ID": "4f1c2a9e-proxy.7"})
    assert response.headers["X-Request-ID"] == "4f1c2a9e-proxy.7"


@pytest.mark.parametrize("sent", ["", "two words", "a" * 65, '{"level": "ERROR"}'])
def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(logged_app, client, sent):
    response = client.get("/healthz", headers={"X-Request-ID": sent})
    made = response.headers["X-Request-ID"]
    assert made != sent
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/healthz").headers["X-Request-ID"] != made


def test_each_request_is_logged_once_with_its_status_and_duration(logged_app, client, caplog):
    logged_app.config["LOG_FORMAT"] = "json"
    caplog.set_level(logging.INFO, logger=request_log.ACCESS_LOGGER)

    response = client.get("/dashboard?tab=secret-words", headers={"X-Request-ID": "abc-1"})

    [line] = [r for r in caplog.records if r.name == request_log.ACCESS_LOGGER]
    assert line.getMessage() == "GET /dashboard 302"
    assert (line.status, response.status_code) == (302, 302)
    assert line.duration_ms >= 0


def json_line(app, path: str, message: str = "something happened") -> dict:
    with app.test_request_context(path, headers={"X-Request-ID": "abc-2"}):
        record = logging.LogRecord("marketplace", logging.WARNING, __file__, 1, message, (), None)
        return json.loads(request_log.JsonFormatter().format(record))


def test_a_json_line_names_the_request_without_its_query_string_or_tokens(logged_app):
    line = json_line(logged_app, "/password/reset/Zx3_kQ9-pL2mN8vR4tY6wA1b?next=/x")
    assert {key: line[key] for key in ("level", "logger", "message", "request_id", "method")} == {
        "level": "WARNING",
        "logger": "marketplace",
        "message": "something happened",
        "request_id": "abc-2",
        "method": "GET",
    }
    assert line["path"] == "/password/reset/<token>"
    assert json_line(logged_app, "/postings/17?q=Olena")["path"] == "/postings/17"
    # A path no route knows may be a mangled link: only a first part that is a plain word stays.
    assert json_line(logged_app, "/postings/x/olena@example.org")["path"] == "/postings/…"
    assert json_line(logged_app, "/olena@example.org")["path"] == "/…"


def test_ready_when_the_database_answers_and_limits_are_counted_in_memory(logged_app, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"ready": True, "database": "ok", "rate_limits": "not configured"}


def test_not_ready_names_the_database_and_redis_that_do_not_answer():
    unreachable = {
        **base_config("postgresql://postgres@127.0.0.1:9/nothing"),
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0",
    }
    app = create_app(unreachable)
    request_log.register(app)

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json == {
        "ready": False,
        "database": "unavailable",
        "rate_limits": "unavailable",
    }


# Two instances behind nginx ---------------------------------------------------------------------


def missing_for_two_instances() -> str:
    missing = [
        what
        for what, present in [
            ("PostgreSQL (MARKETPLACE_TEST_DATABASE_URL)", POSTGRES_URL),
            ("Redis (MARKETPLACE_TEST_REDIS_URL)", REDIS_URL),
            ("nginx (apt-get install nginx)", NGINX),
        ]
        if not present
    ]
    if TEST_NOW:
        missing.append("the machine's clock (gunicorn does not run at MARKETPLACE_TEST_NOW)")
    return ", ".join(missing)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_KeepRedirects)


@dataclass
class Answer:
    status: int
    body: str
    headers: dict

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    """One person's browser. Its cookies go to whichever server it is pointed at: production
    marks them Secure, which a browser would only send over HTTPS, and the test speaks HTTP."""

    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""

    def request(self, url: str, form: dict | None = None) -> Answer:
        headers = {"Host": SITE_HOST, "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with OPENER.open(urllib.request.Request(url, data, headers), timeout=30) as response:
                answer = Answer(response.status, response.read().decode(), dict(response.headers))
                set_cookies = response.headers.get_all("Set-Cookie") or []
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, error.read().decode(), dict(error.headers))
            set_cookies = error.headers.get_all("Set-Cookie") or []
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if token := re.search(r'name="csrf_token"[^>]*value="([^"]+)"', answer.body):
            self.csrf_token = token.group(1)
        return answer

    def log_in(self, server: str, email: str, password: str) -> Answer:
        assert self.request(server + "/login").status == 200
        form = {"csrf_token": self.csrf_token, "email": email, "password": password}
        return self.request(server + "/login", form)


@dataclass
class Process:
    name: str
    process: subprocess.Popen
    log: Path

    def stop(self, sig: int = signal.SIGTERM, wait: float = 15) -> None:
        """Stop the process and anything it started (gunicorn's workers), killing what is still
        running after ``wait`` seconds."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=wait)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class Servers:
    """The processes a test started, each writing to its own log, all stopped at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[Process] = []

    def start(self, name: str, command: list[str], env: dict | None = None) -> Process:
        log = self.folder / f"{name}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: its workers are stopped too
            )
        started = Process(name, process, log)
        self.processes.append(started)
        return started

    def stop_all(self) -> None:
        for started in reversed(self.processes):
            started.stop(wait=10)

    def logs(self) -> str:
        logs = sorted(self.folder.glob("*.log"))
        return "\n".join(f"---- {log.name} ----\n{log.read_text(errors='replace')}" for log in logs)

    def wait_until_ready(self, started: Process, url: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if started.process.poll() is not None:
                raise AssertionError(f"{started.name} exited at startup\n{self.logs()}")
            with contextlib.suppress(OSError):
                if Browser().request(url + "/readyz").status == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"{started.name} was not ready in {STARTUP_SECONDS} s\n{self.logs()}")


def instance_environment(database_url: str, secret_key: str) -> dict:
    """Production settings, as in the README, for every instance alike."""
    return {
        **os.environ,
        "MARKETPLACE_ENV": "production",
        "MARKETPLACE_SECRET_KEY": secret_key,
        "MARKETPLACE_SERVER_NAME": SITE_HOST,
        "MARKETPLACE_TRUSTED_HOSTS": SITE_HOST,
        "MARKETPLACE_PROXY_FIX_X_FOR": "1",
        "MARKETPLACE_DATABASE_URL": database_url,
        "MARKETPLACE_RATELIMIT_STORAGE_URI": REDIS_URL,
        "MARKETPLACE_LOGIN_FAILURES_PER_ACCOUNT": f"{FAILED_LOGINS_ALLOWED} per 15 minutes",
        "MARKETPLACE_LOG_FORMAT": "json",
    }


def gunicorn_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--graceful-timeout",
        "10",
        "wsgi:app",
    ]


def nginx_config(folder: Path, port: int, upstreams: list[int]) -> str:
    servers = "\n".join(
        f"        server 127.0.0.1:{upstream} max_fails=1 fail_timeout=30s;"
        for upstream in upstreams
    )
    # Run as root (CI), the workers would otherwise drop to "nobody", who cannot enter the
    # test's temporary folder; run as anyone else, the line is ignored.
    return f"""
daemon off;
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format with_request_id '$request_id $status $upstream_addr "$request"';
    access_log {folder}/nginx-access.log with_request_id;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream marketplace {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name {SITE_HOST};
        location / {{
            proxy_pass http://marketplace;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Request-ID $request_id;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


@dataclass
class TwoInstances:
    a: str
    b: str
    proxy: str
    instance_a: Process
    servers: Servers


@pytest.fixture
def two_instances(app, database_url, tmp_path):
    db.session.commit()
    db.engine.dispose()
    counters = redis.Redis.from_url(REDIS_URL)
    counters.flushdb()  # database 15 holds only the limiter's counters of the tests
    environment = instance_environment(database_url, secrets.token_urlsafe(32))
    servers = Servers(tmp_path)
    try:
        ports = {name: _free_port() for name in ("a", "b", "proxy")}
        a, b = (
            servers.start(f"instance-{name}", gunicorn_command(ports[name]), environment)
            for name in ("a", "b")
        )
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        servers.wait_until_ready(a, urls["a"])
        servers.wait_until_ready(b, urls["b"])
        config = tmp_path / "nginx.conf"
        config.write_text(nginx_config(tmp_path, ports["proxy"], [ports["a"], ports["b"]]))
        nginx = servers.start(
            "nginx", [NGINX, "-c", str(config), "-p", str(tmp_path), "-e", "stderr"]
        )
        servers.wait_until_ready(nginx, urls["proxy"])
        yield TwoInstances(urls["a"], urls["b"], urls["proxy"], a, servers)
    finally:
        servers.stop_all()
        counters.flushdb()
        counters.close()


@contextlib.contextmanager
def logs_shown_on_failure(servers: Servers):
    try:
        yield
    except BaseException:
        print(servers.logs())
        raise


def json_lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


@pytest.mark.two_instances
@pytest.mark.skipif(
    bool(missing_for_two_instances()),
    reason=f"needs {missing_for_two_instances()}; CI runs it with all of them",
)
def test_two_instances_behind_nginx_share_sessions_and_limits_and_survive_one_stopping(
    make_user, two_instances
):
    site = two_instances
    person = make_user(Role.PARTICIPANT, email="olena.two@example.org", display_name="Olena")
    guessed = make_user(Role.PARTICIPANT, email="guessed.two@example.org")
    db.session.commit()
    wrong_password = "surely not my password"
    with logs_shown_on_failure(site.servers):
        # Signed in on A, the same cookie is a signed-in session on B: the session lives in the
        # shared database and the cookie is signed with the shared key.
        browser = Browser()
        login = browser.log_in(site.a, person.email, TEST_PASSWORD)
        assert (login.status, login.location) == (302, "/dashboard"), login.body[:500]
        on_b = browser.request(site.b + "/dashboard")
        assert on_b.status == 200, on_b.location
        assert "Olena" in on_b.body

        # Failed logins alternating between A and B use up one shared limit (in Redis): with
        # counters per instance, each would still allow two more.
        stranger = Browser()
        guesses = [
            stranger.log_in(server, guessed.email, wrong_password)
            for server in [site.a, site.b] * (FAILED_LOGINS_ALLOWED // 2)
        ]
        assert all(g.status == 200 and NOT_CORRECT in g.body for g in guesses)
        for server in (site.a, site.b):
            refused = stranger.log_in(server, guessed.email, TEST_PASSWORD)
            assert (refused.status, TOO_MANY in refused.body) == (429, True)

        # Through nginx, a signed-in page and the public list, asked four at a time; instance A
        # stops (SIGTERM) halfway, and nginx sends what A no longer takes to B.
        paths = ["/dashboard", "/postings/?q=Olena"] * 100

        def fetch(index: int) -> Answer:
            if index == len(paths) // 2:
                site.instance_a.process.send_signal(signal.SIGTERM)
            return browser.request(site.proxy + paths[index])

        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(fetch, range(len(paths))))

        assert [a.status for a in answers] == [200] * len(paths)
        assert all("Olena" in a.body for a in answers[::2])  # still signed in, on either
        site.instance_a.process.wait(timeout=20)
        assert "Olena" in browser.request(site.proxy + "/dashboard").body

        # One request id per request, shared by nginx's line, the app's line and the answer;
        # A answered some of them before it stopped, B the rest.
        ids = [a.headers["X-Request-ID"] for a in answers]
        assert len(set(ids)) == len(ids)
        proxy_log = (site.servers.folder / "nginx-access.log").read_text().splitlines()
        proxy_ids = {line.split()[0] for line in proxy_log}
        assert set(ids) <= proxy_ids
        access = {
            name: {
                line["request_id"]: line
                for line in json_lines(site.servers.folder / f"instance-{name}.log")
                if line["logger"] == request_log.ACCESS_LOGGER
            }
            for name in ("a", "b")
        }
        assert set(ids) <= set(access["a"]) | set(access["b"])
        assert set(ids) & set(access["a"]) and set(ids) & set(access["b"])
        sample = access["b"][ids[-1]]
        assert {k: sample[k] for k in ("method", "path", "status")} == {
            "method": "GET",
            "path": "/postings/",
            "status": 200,
        }
        assert sample["duration_ms"] >= 0

        # The instances' logs hold no personal data or secret.
        logs = "\n".join(
            (site.servers.folder / f"instance-{name}.log").read_text() for name in ("a", "b")
        )
        assert EMAIL_ADDRESS.findall(logs) == []
        for secret in (TEST_PASSWORD, wrong_password, "Olena", *browser.cookies.values()):
            assert secret not in logs
