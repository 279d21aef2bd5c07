"""Load the site's pages with wrk, beside a bare Flask route, on the benchmark database.

Reads the description that scripts/bench_data.py writes (instance/bench.json), serves that
database with gunicorn in the production configuration, and beside it, with the same gunicorn
settings, a bare Flask app with one route (scripts/bench_bare.py). Each person a page is for
logs in once with a real POST /login; wrk then loads every page for a fixed time with that
session cookie, one page after another, the bare route first in each repetition. The table
gives the medians over the repetitions of requests per second, latency percentiles and the
page's rate as a share of the bare route's in the same repetition, with the SQL statements one
request runs and the workers' memory.

Run it with ``make bench-web BENCH_ARGS="..."``; ``--help`` explains every option.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT / "instance" / "bench.json"
DEFAULT_MARKDOWN = ROOT / "build" / "bench.md"
REPORT_SCRIPT = ROOT / "scripts" / "bench_report.lua"
REPORT_MARKER = "bench-report "
# What a browser sends: English pages, compressed when the site compresses them.
BROWSER_HEADERS = {"Accept-Language": "en", "Accept-Encoding": "gzip, deflate, br, zstd"}
MB = 1024 * 1024

# The targets of issue 16, set at 32 connections.
TARGET_CONNECTIONS = 32
POSTINGS_SHARE, POSTINGS_P95_MS = 0.20, 100.0
OTHER_SHARE, OTHER_P99_MS = 0.10, 300.0
WORKER_RSS_MB = 200

WRK_MISSING = """wrk, the load generator, is not installed.
  Debian or Ubuntu:  apt-get install wrk   (with sudo unless you are root)
  macOS:             brew install wrk
then run this again."""


class BenchError(Exception):
    """Something stops the benchmark; the message says what to do."""


class LoginFailed(BenchError):
    pass


class PageSkipped(Exception):
    """A page that cannot be loaded on this site or database; the table notes why."""


# ---------------------------------------------------------------------------------------------
# The pages


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None  # the key in the description's "accounts"; None: a visitor
    path: str  # str.format over the description's "objects" and "search" (URL-quoted)
    about: str
    postings: bool = False  # held to the postings pages' targets
    default: bool = True  # loaded when --pages does not name pages


PAGES = [
    Page("home", None, "/", "the home page, as a visitor"),
    Page("postings", None, "/postings/", "the public list of postings", postings=True),
    Page(
        "postings-search",
        None,
        "/postings/?q={postings_q}",
        "postings searched for search.postings_q",
        postings=True,
    ),
    Page("posting", None, "/postings/{posting_id}", "one posting's page", postings=True),
    Page("dashboard", "participant", "/dashboard", "the participant's dashboard (to-do list)"),
    Page(
        "applicants",
        "employer",
        "/applications/posting/{busy_posting_id}",
        "the applicants of the busy posting, as its employer",
    ),
    Page("review-queue", "coordinator", "/review/", "the coordinator's review queue"),
    Page(
        "people-search",
        "coordinator",
        "/admin/users?q={people_q}",
        "People, searched for search.people_q, as the coordinator",
    ),
    Page(
        "mentor-search",
        "coordinator",
        "/mentors/?expertise={mentor_area}&week_of={mentor_week}",
        "mentors by area and free week, as the coordinator",
    ),
    Page("training", "coordinator", "/training/", "the training overview (hours against plan)"),
    Page(
        "training-session",
        "coordinator",
        "/training/{training_session_id}",
        "one training session with enrolment and attendance",
    ),
    Page(
        "recommendations",
        "participant",
        "/postings/?sort=best",
        "the postings list, best for the participant first, with reasons",
    ),
    Page(
        "suggestions",
        "coordinator",
        "/postings/{posting_id}/suggestions",
        "participants suggested for an open posting, with reasons",
    ),
    Page("indicators", "coordinator", "/indicators/", "the indicators dashboard of the site"),
    # Not in the list; loaded when named in --pages (or with --pages all).
    Page("event", "participant", "/events/{event_id}", "one event's page", default=False),
    Page("placement", "mentor", "/placements/{placement_id}", "a placement", default=False),
    Page(
        "participant",
        "coordinator",
        "/participants/{participant_profile_id}",
        "a participant's profile, as the coordinator",
        default=False,
    ),
    Page(
        "mentor",
        "coordinator",
        "/mentors/{mentor_profile_id}",
        "a mentor's page, as the coordinator",
        default=False,
    ),
    Page(
        "coordinator-dashboard",
        "coordinator",
        "/dashboard",
        "the coordinator's dashboard",
        default=False,
    ),
    Page(
        "admin-dashboard", "super_admin", "/dashboard", "a super-admin's dashboard", default=False
    ),
]
PAGES_BY_NAME = {page.name: page for page in PAGES}


def choose_pages(names: str | None) -> list[Page]:
    """The pages ``--pages`` names (comma-separated, in the table's order), ``all``, or the
    issue's list."""
    if not names:
        return [page for page in PAGES if page.default]
    wanted = {name.strip() for name in names.split(",") if name.strip()}
    if "all" in wanted:
        return list(PAGES)
    unknown = sorted(wanted - PAGES_BY_NAME.keys())
    if unknown:
        raise BenchError(
            f"No page called {', '.join(unknown)}; the pages are: {', '.join(PAGES_BY_NAME)}"
        )
    return [page for page in PAGES if page.name in wanted]


# ---------------------------------------------------------------------------------------------
# The description of the benchmark database


@dataclass
class BenchData:
    source: Path
    database_url: str
    scale: object
    accounts: dict[str, dict]
    values: dict[str, str]  # objects and search terms, ready to put into a URL

    def path_of(self, page: Page) -> str:
        """The page's path on this database; PageSkipped when it has none."""
        try:
            return page.path.format_map(self.values)
        except KeyError as missing:
            raise PageSkipped(
                f"{self.source.name} names no {missing.args[0]} (in objects or search)"
            ) from None

    def account(self, role: str) -> tuple[str, str]:
        try:
            account = self.accounts[role]
            return account["email"], account["password"]
        except (KeyError, TypeError):
            raise BenchError(
                f"{self.source} has no accounts.{role} with an email and a password"
            ) from None


def read_data(path: Path) -> BenchData:
    if not path.exists():
        raise BenchError(
            f"There is no benchmark database description at {path}.\n"
            "Fill one first with `make bench-data` (scripts/bench_data.py), or name another "
            "with --data FILE."
        )
    try:
        raw = json.loads(path.read_text())
        database_url = raw["database_url"]
    except (ValueError, KeyError, TypeError) as error:
        raise BenchError(f"{path} is not a description written by bench_data.py: {error}") from None
    values = {}
    for group in ("objects", "search"):
        for key, value in (raw.get(group) or {}).items():
            if value is not None:  # null: the database has no such object
                values[key] = urllib.parse.quote(str(value), safe="")
    return BenchData(path, database_url, raw.get("scale", "?"), raw.get("accounts") or {}, values)


def describe_database(url: str) -> str:
    """``SQLite instance/bench.sqlite`` or ``PostgreSQL bench@127.0.0.1``, without a password."""
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = Path(parsed.database or ":memory:")
        with_root = database.relative_to(ROOT) if database.is_relative_to(ROOT) else database
        return f"SQLite {with_root}"
    return f"PostgreSQL {parsed.database}@{parsed.host or 'localhost'}"


# ---------------------------------------------------------------------------------------------
# HTTP with a cookie, and logging in


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


def fetch(
    url: str,
    *,
    form: dict | None = None,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Answer:
    """One request, redirects not followed. Cookies are sent whatever their Secure flag: the
    production site marks them Secure, and the benchmark speaks plain HTTP to it."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    sent = {"Accept-Language": "en", **(headers or {})}
    if cookies:
        sent["Cookie"] = cookie_header(cookies)
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST" if form is not None else "GET", target, body, sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return Answer(response.status, response.headers, text)
    finally:
        connection.close()


def keep_cookies(cookies: dict[str, str], answer: Answer) -> None:
    """Apply the answer's Set-Cookie headers, deletions included, to ``cookies``."""
    for header in answer.headers.get_all("Set-Cookie") or []:
        pair, *attributes = header.split(";")
        name, _, value = pair.strip().partition("=")
        flags = {attribute.strip().lower() for attribute in attributes}
        if not value or "max-age=0" in flags or any("1970" in flag for flag in flags):
            cookies.pop(name, None)
        else:
            cookies[name] = value


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def log_in(base_url: str, email: str, password: str) -> str:
    """Log in as a browser does — the form's CSRF token, the anonymous session's cookie, a POST
    — and return the ``Cookie`` header of the signed-in session, checked on /dashboard."""
    cookies: dict[str, str] = {}
    form_page = fetch(base_url + "/login")
    keep_cookies(cookies, form_page)
    token = CSRF_FIELD.search(form_page.body)
    if form_page.status != 200 or token is None:
        raise LoginFailed(f"GET /login answered {form_page.status} without a login form")
    answer = fetch(
        base_url + "/login",
        form={"email": email, "password": password, "csrf_token": token.group(1)},
        cookies=cookies,
    )
    keep_cookies(cookies, answer)
    if answer.status not in (302, 303):
        reason = (
            "wrong e-mail or password?"
            if answer.status == 200
            else "too many failed logins from this address?"
            if answer.status == 429
            else "see the server's log"
        )
        raise LoginFailed(f"logging in as {email} answered {answer.status} ({reason})")
    check = fetch(base_url + "/dashboard", cookies=cookies)
    if check.status != 200:
        raise LoginFailed(
            f"after logging in as {email}, /dashboard answered {check.status} "
            f"{check.location}: the session cookie does not work"
        )
    return cookie_header(cookies)


# ---------------------------------------------------------------------------------------------
# gunicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(database_url: str, port: int) -> dict[str, str]:
    """The site's settings for a production server on 127.0.0.1:``port``: a fresh random key,
    that host as server name and the only trusted host, the benchmark's database."""
    host = f"127.0.0.1:{port}"
    return {
        "MARKETPLACE_ENV": "production",
        "MARKETPLACE_SECRET_KEY": secrets.token_urlsafe(48),
        "MARKETPLACE_SERVER_NAME": host,
        "MARKETPLACE_TRUSTED_HOSTS": host,
        "MARKETPLACE_DATABASE_URL": database_url,
    }


# How long a finished run's queue may take to be worked off before the site is restarted.
SETTLE_SECONDS = 30


@dataclass
class Server:
    """gunicorn serving one app on 127.0.0.1:``port`` (start, stop, restart)."""

    name: str
    command: list[str]
    environment: dict[str, str]
    port: int
    workers_wanted: int
    log: Path
    ready_path: str = "/"
    process: subprocess.Popen | None = None
    workers_at_start: list[int] = field(default_factory=list)
    restarted_after: list[str] = field(default_factory=list)  # paths

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, seconds: float = 60) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env={**os.environ, **self.environment},
            start_new_session=True,  # its own process group, so that a quick stop takes all
        )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn ({self.name}) stopped at start:\n{self.log_tail()}")
            try:
                answer = fetch(self.url + self.ready_path, timeout=5)
                if answer.status == 200 and len(self.workers()) >= self.workers_wanted:
                    self.workers_at_start = self.workers()
                    return
            except OSError:  # not listening yet
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn ({self.name}) did not answer within {seconds:.0f} s")

    def stop(self, quick: bool = False) -> None:
        """Gracefully (SIGTERM: requests being served finish), or at once, queue and all."""
        if self.process is None or self.process.poll() is not None:
            return
        if quick:
            os.killpg(self.process.pid, signal.SIGKILL)
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def settle(self, after: str, seconds: float = SETTLE_SECONDS) -> None:
        """Wait until the workers have worked off what a finished wrk run left queued.

        When wrk stops it closes its connections, but the requests already waiting in the
        listening socket's queue are still served, one after another, and the next page's run
        would wait behind them. A request sent now is served after them (the queue is first in,
        first out), and a second one after whatever the other workers were still doing. A page
        so slow that its queue takes longer than ``seconds`` gets the server restarted, queue
        dropped, and a note."""
        deadline = time.monotonic() + seconds
        try:
            for _ in range(2):
                fetch(self.url + self.ready_path, timeout=max(deadline - time.monotonic(), 0.1))
        except OSError:
            self.stop(quick=True)
            self.start()
            self.restarted_after.append(after)

    def workers(self) -> list[int]:
        return children_of(self.process.pid) if self.process else []

    def worker_rss(self) -> list[int]:
        """Resident memory of each worker process, in bytes (empty where /proc is missing)."""
        sizes = (rss_of(pid) for pid in self.workers())
        return [size for size in sizes if size is not None]

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:])
        except OSError:
            return ""


def children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (command) state ppid ..."; the command may contain spaces and parentheses.
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            children.append(int(entry.name))
    return sorted(children)


def rss_of(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


@contextmanager
def gunicorn(
    name: str,
    app: str,
    *,
    port: int,
    workers: int,
    environment: dict[str, str],
    log_dir: Path,
    ready_path: str = "/",
    extra_path: Path | None = None,
) -> Iterator[Server]:
    """``app`` served by gunicorn with ``workers`` sync workers until the block ends."""
    log = log_dir / f"{name}.log"
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers)]
    command += ["--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
    command += ["--log-level", "warning", "--error-logfile", str(log)]
    if extra_path:
        command += ["--pythonpath", str(extra_path)]
    command.append(app)
    server = Server(name, command, environment, port, workers, log, ready_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------
# SQL statements per request


# Not counted: SQLite's explicit BEGIN IMMEDIATE (marketplace/db.py) has no counterpart among
# PostgreSQL's statements, and the figures of both databases should compare.
TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK)\b", re.IGNORECASE)


@contextmanager
def counting_statements(engine) -> Iterator[list[str]]:
    """Every statement ``engine`` sends while the block runs, transaction control aside."""
    import sqlalchemy as sa

    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not TRANSACTION_CONTROL.match(statement):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


@contextmanager
def environment_set(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@dataclass
class QueryCount:
    status: int
    statements: int


class InProcessSite:
    """The site in this process, configured as the server is, to count each page's SQL
    statements on one request (after one request to warm it up) with the same cookie."""

    def __init__(self, environment: dict[str, str], base_url: str):
        from marketplace import create_app

        with environment_set(environment):
            self.app = create_app()
        self.base_url = base_url

    def count(self, path: str, cookie: str) -> QueryCount:
        from marketplace.extensions import db

        client = self.app.test_client(use_cookies=False)
        headers = {**BROWSER_HEADERS, **({"Cookie": cookie} if cookie else {})}
        with self.app.app_context():
            engine = db.engine
        client.get(path, headers=headers, base_url=self.base_url)
        with counting_statements(engine) as statements:
            response = client.get(path, headers=headers, base_url=self.base_url)
        return QueryCount(response.status_code, len(statements))

    def close(self) -> None:
        from marketplace.extensions import db

        with self.app.app_context():
            db.engine.dispose()


# ---------------------------------------------------------------------------------------------
# wrk


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    socket_errors: dict[str, int]
    non_2xx: int
    odd_status: int  # the status of a non-2xx answer, 0 when there was none

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_report(output: str) -> WrkResult:
    """The line bench_report.lua prints at the end of wrk's output."""
    for line in output.splitlines():
        if line.startswith(REPORT_MARKER):
            report = json.loads(line[len(REPORT_MARKER) :])
            errors = report["errors"]
            return WrkResult(
                requests=int(report["requests"]),
                seconds=report["duration_us"] / 1e6,
                p50_ms=report["p50_us"] / 1000,
                p95_ms=report["p95_us"] / 1000,
                p99_ms=report["p99_us"] / 1000,
                socket_errors={
                    kind: int(errors[kind]) for kind in ("connect", "read", "write", "timeout")
                },
                non_2xx=int(report["non_2xx"]),
                odd_status=int(report["odd_status"]),
            )
    raise BenchError(f"wrk printed no report line ({REPORT_MARKER.strip()}):\n{output}")


@dataclass(frozen=True)
class Load:
    connections: int
    threads: int
    duration: str
    timeout: str


def wrk_command(url: str, load: Load, cookie: str = "", duration: str | None = None) -> list:
    command = ["wrk", "--threads", str(min(load.threads, load.connections))]
    command += ["--connections", str(load.connections), "--duration", duration or load.duration]
    command += ["--timeout", load.timeout, "--script", str(REPORT_SCRIPT)]
    headers = {**BROWSER_HEADERS, **({"Cookie": cookie} if cookie else {})}
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    return [*command, url]


def run_wrk(url: str, load: Load, cookie: str = "", duration: str | None = None) -> WrkResult:
    done = subprocess.run(
        wrk_command(url, load, cookie, duration), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{done.stdout}{done.stderr}")
    return parse_report(done.stdout)


# ---------------------------------------------------------------------------------------------
# Medians, shares, targets and the table


@dataclass
class PageRun:
    page: Page
    path: str
    results: list[WrkResult] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)  # of the bare route, per repetition
    queries: QueryCount | None = None
    rss_after: list[int] = field(default_factory=list)  # bytes, per worker, after the last run
    first_answer: str = ""  # the status (and redirect) of one request before the load

    def add(self, result: WrkResult, bare: WrkResult) -> None:
        self.results.append(result)
        self.shares.append(result.rate / bare.rate if bare.rate else 0.0)


@dataclass
class Row:
    name: str
    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    share: float
    queries: str
    rss_mb: float | None
    errors: str
    target: str

    @property
    def failed(self) -> bool:
        return self.errors.startswith("NON-2XX")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def describe_errors(results: list[WrkResult], first_answer: str = "") -> str:
    non_2xx = sum(result.non_2xx for result in results)
    sockets: dict[str, int] = {}
    for result in results:
        for kind, count in result.socket_errors.items():
            sockets[kind] = sockets.get(kind, 0) + count
    parts = []
    if non_2xx:
        status = next((r.odd_status for r in reversed(results) if r.odd_status), 0)
        redirect = first_answer if "→" in first_answer else ""
        parts.append(f"NON-2XX {non_2xx}× {status}" + (f" ({redirect})" if redirect else ""))
    silent = sum(1 for result in results if result.requests == 0)
    if silent:
        parts.append(f"NO ANSWER within {silent} run(s)")
    parts += [f"{kind} {count}" for kind, count in sockets.items() if count]
    return "; ".join(parts) or "none"


def verdict(page: Page, share: float, p95: float, p99: float, rss_mb: float | None) -> str:
    misses = []
    if page.postings:
        if share < POSTINGS_SHARE:
            misses.append(f"share < {POSTINGS_SHARE:.0%}")
        if p95 >= POSTINGS_P95_MS:
            misses.append(f"p95 ≥ {POSTINGS_P95_MS:.0f} ms")
    else:
        if share < OTHER_SHARE:
            misses.append(f"share < {OTHER_SHARE:.0%}")
        if p99 >= OTHER_P99_MS:
            misses.append(f"p99 ≥ {OTHER_P99_MS:.0f} ms")
    if rss_mb is not None and rss_mb >= WORKER_RSS_MB:
        misses.append(f"RSS ≥ {WORKER_RSS_MB} MB")
    return "MISS: " + ", ".join(misses) if misses else "ok"


def summarise(run: PageRun) -> Row:
    """Medians over the repetitions; the share is the median of each repetition's share."""
    share = median(run.shares)
    p95 = median([r.p95_ms for r in run.results])
    p99 = median([r.p99_ms for r in run.results])
    rss_mb = max(run.rss_after) / MB if run.rss_after else None
    errors = describe_errors(run.results, run.first_answer)
    target = verdict(run.page, share, p95, p99, rss_mb)
    if errors.startswith("NON-2XX"):
        target = "— (not the page's figures)"
    queries = "—"
    if run.queries is not None:
        queries = str(run.queries.statements)
        if run.queries.status != 200:
            queries += f" (answered {run.queries.status})"
    return Row(
        name=run.page.name,
        rate=median([r.rate for r in run.results]),
        p50_ms=median([r.p50_ms for r in run.results]),
        p95_ms=p95,
        p99_ms=p99,
        share=share,
        queries=queries,
        rss_mb=rss_mb,
        errors=errors,
        target=target,
    )


def bare_row(results: list[WrkResult], rss: list[int]) -> Row:
    return Row(
        name="bare route (baseline)",
        rate=median([r.rate for r in results]),
        p50_ms=median([r.p50_ms for r in results]),
        p95_ms=median([r.p95_ms for r in results]),
        p99_ms=median([r.p99_ms for r in results]),
        share=1.0,
        queries="—",
        rss_mb=max(rss) / MB if rss else None,
        errors=describe_errors(results),
        target="",
    )


HEADINGS = [
    "page",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "SQL/request",
    "share of bare",
    "worker RSS MB",
    "errors",
    "target",
]


def cells(row: Row) -> list[str]:
    return [
        row.name,
        f"{row.rate:.0f}",
        f"{row.p50_ms:.1f}",
        f"{row.p95_ms:.1f}",
        f"{row.p99_ms:.1f}",
        row.queries,
        f"{row.share:.1%}",
        f"{row.rss_mb:.0f}" if row.rss_mb is not None else "—",
        row.errors,
        row.target,
    ]


NUMERIC = {1, 2, 3, 4, 5, 6, 7}


def text_table(rows: list[Row]) -> str:
    lines = [HEADINGS, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADINGS))]

    def render(line: list[str]) -> str:
        return "  ".join(
            text.rjust(width) if i in NUMERIC else text.ljust(width)
            for i, (text, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(HEADINGS), rule, *(render(cells(row)) for row in rows)])


def markdown_table(rows: list[Row]) -> str:
    def render(line: list[str]) -> str:
        return "| " + " | ".join(text.replace("|", "\\|") for text in line) + " |"

    rule = "|" + "|".join("---:" if i in NUMERIC else "---" for i in range(len(HEADINGS))) + "|"
    return "\n".join([render(HEADINGS), rule, *(render(cells(row)) for row in rows)])


@dataclass
class Report:
    title: str
    setting: str
    rows: list[Row]
    notes: list[str]

    def text(self) -> str:
        notes = "".join(f"\n- {note}" for note in self.notes)
        return f"\n{self.title}\n{self.setting}\n\n{text_table(self.rows)}\n{notes}\n"

    def markdown(self) -> str:
        notes = "".join(f"- {note}\n" for note in self.notes)
        return (
            f"### {self.title}\n\n{self.setting}\n\n{markdown_table(self.rows)}\n\n{notes}".rstrip()
            + "\n"
        )


# ---------------------------------------------------------------------------------------------
# One benchmark run on one database


@dataclass(frozen=True)
class Options:
    pages: list[Page]
    load: Load
    repetitions: int
    workers: int
    warmup: str


def show(message: str) -> None:
    print(message, flush=True)


def bench_database(data: BenchData, options: Options) -> Report:
    app_port = bare_port = free_port()
    while bare_port == app_port:
        bare_port = free_port()
    environment = production_environment(data.database_url, app_port)
    notes: list[str] = []
    with ExitStack() as stack:
        log_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-web-")))
        show(f"Serving {describe_database(data.database_url)} and the bare route with gunicorn…")
        site = stack.enter_context(
            gunicorn(
                "site",
                "wsgi:app",
                port=app_port,
                workers=options.workers,
                environment=environment,
                log_dir=log_dir,
                ready_path="/healthz",
            )
        )
        bare = stack.enter_context(
            gunicorn(
                "bare",
                "bench_bare:app",
                port=bare_port,
                workers=options.workers,
                environment={},
                log_dir=log_dir,
                extra_path=ROOT / "scripts",
            )
        )
        in_process = InProcessSite(environment, site.url)
        stack.callback(in_process.close)

        runs: list[PageRun] = []
        for page in options.pages:
            try:
                runs.append(PageRun(page, data.path_of(page)))
            except PageSkipped as reason:
                notes.append(f"{page.name} ({page.about}): skipped — {reason}.")

        cookies: dict[str, str] = {}
        for role in sorted({run.page.role for run in runs if run.page.role}):
            show(f"Logging in as the {role}…")
            cookies[role] = log_in(site.url, *data.account(role))

        for run in runs:
            run.queries = in_process.count(run.path, cookies.get(run.page.role or "", ""))
        in_process.close()  # no connection of this process stays open during the load

        # Before a page's first run: one connection per worker, so that every worker has
        # compiled the page's templates, and no slow page leaves a long queue behind.
        warm_up = options.warmup not in ("", "0", "0s")
        warm = replace(options.load, connections=options.workers, duration=options.warmup)
        bare_results: list[WrkResult] = []
        end_rss: list[int] = []  # after the last page's last run, before any restart
        for repetition in range(1, options.repetitions + 1):
            prefix = f"[{repetition}/{options.repetitions}]"
            if warm_up and repetition == 1:
                run_wrk(bare.url + "/", warm)
                bare.settle(after="the bare route's warm-up")
            baseline = run_wrk(bare.url + "/", options.load)
            bare.settle(after="the bare route")
            bare_results.append(baseline)
            show(f"{prefix} {'bare route':<22} {baseline.rate:8.0f} req/s")
            for run in runs:
                cookie = cookies.get(run.page.role or "", "")
                if repetition == 1:
                    # Here, not all at the start: the workers' memory after each page should
                    # come from the pages loaded so far.
                    first = fetch(site.url + run.path, cookies=parse_cookie(cookie))
                    run.first_answer = f"{first.status}" + (
                        f" → {first.location}" if first.location else ""
                    )
                    if first.status != 200:
                        show(f"{prefix} {run.page.name}: {run.path} answered {run.first_answer}")
                    if warm_up:
                        run_wrk(site.url + run.path, warm, cookie)
                        site.settle(after=f"{run.page.name}'s warm-up")
                result = run_wrk(site.url + run.path, options.load, cookie)
                run.rss_after = end_rss = site.worker_rss()
                site.settle(after=run.page.name)
                run.add(result, baseline)
                flag = "  NON-2XX" if result.non_2xx else ""
                show(
                    f"{prefix} {run.page.name:<22} {result.rate:8.0f} req/s  "
                    f"p95 {result.p95_ms:7.1f} ms  {run.shares[-1]:6.1%} of bare{flag}"
                )

        rows = [bare_row(bare_results, bare.worker_rss())]
        rows += [summarise(run) for run in runs]
        if end_rss:
            sizes = ", ".join(f"{size / MB:.0f}" for size in end_rss)
            notes.insert(0, f"Site workers' RSS at the end: {sizes} MB (target < {WORKER_RSS_MB}).")
        if set(site.workers()) != set(site.workers_at_start):
            notes.append(
                "A site worker was replaced during the run (a request over gunicorn's 30 s "
                "timeout, or a crash): see the figures with care."
            )
        for server in (site, bare):
            for label in server.restarted_after:
                notes.append(
                    f"The {server.name} server was restarted after {label}: the requests "
                    f"left queued would have taken over {SETTLE_SECONDS} s to work off. The "
                    "pages after it ran on fresh workers."
                )
        for row in rows:
            if row.failed:
                notes.append(
                    f"{row.name} answered something other than 2xx ({row.errors}): a redirect "
                    "to /login means the session cookie did not work; these are not its figures."
                )

    load = options.load
    if load.connections != TARGET_CONNECTIONS:
        notes.append(
            f"The targets' latencies are set at {TARGET_CONNECTIONS} connections; this run used "
            f"{load.connections}."
        )
    title = f"{describe_database(data.database_url)}, scale {data.scale}"
    setting = (
        f"{options.workers} sync gunicorn workers, {load.connections} connections, "
        f"{load.duration} × {options.repetitions} (medians), {source_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores."
    )
    return Report(title, setting, rows, notes)


def parse_cookie(header: str) -> dict[str, str]:
    pairs = (part.strip().partition("=") for part in header.split(";") if part.strip())
    return {name: value for name, _, value in pairs}


def source_version() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown"
    return f"commit {commit}"


# ---------------------------------------------------------------------------------------------
# The command


def duration_text(value: str) -> str:
    if not re.fullmatch(r"\d+(\.\d+)?[smh]?", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a duration such as 10s or 1m")
    return value


def targets_text() -> str:
    return (
        f"  postings pages  at least {POSTINGS_SHARE:.0%} of the bare route, "
        f"p95 < {POSTINGS_P95_MS:.0f} ms\n"
        f"  other pages     at least {OTHER_SHARE:.0%} of the bare route, "
        f"p99 < {OTHER_P99_MS:.0f} ms\n"
        f"  workers         < {WORKER_RSS_MB} MB resident each\n"
        f"  (latencies at {TARGET_CONNECTIONS} connections: run with --connections "
        f"{TARGET_CONNECTIONS} to check them)"
    )


def page_list() -> str:
    lines = []
    for page in PAGES:
        role = page.role or "visitor"
        where = page.path
        extra = "" if page.default else "  [only when named]"
        lines.append(f"  {page.name:<22} {role:<12} {where}{extra}\n      {page.about}")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    usage_notes = f"""
What it prints, per database: for the bare route and each page, requests per second, latency
percentiles p50/p95/p99 in ms (from wrk, medians over the repetitions), SQL statements one
request runs (counted in this process on the same database with the same cookie, after one
request to warm up; BEGIN and COMMIT aside), the page's rate as a share of the bare route's in
the same repetition, the largest worker's resident memory after the page's last run, errors
(NON-2XX: answers other than 2xx, such as a 302 to the login page when the cookie did not work;
socket errors and timeouts), and whether the page meets issue 16's targets:
{targets_text()}
The same tables are written as Markdown (--markdown).

The servers: gunicorn with --workers sync workers on free ports of 127.0.0.1, the site in
production settings (MARKETPLACE_ENV=production, a random MARKETPLACE_SECRET_KEY, the server
name and trusted host 127.0.0.1:<port>, MARKETPLACE_DATABASE_URL from the description); other
MARKETPLACE_* variables of the environment (e.g. MARKETPLACE_RATELIMIT_STORAGE_URI) pass
through. Every request asks for English and accepts compression, as a browser does.

After each run the servers work off the requests wrk left queued before the next run starts;
when that would take over {SETTLE_SECONDS} s (a page that takes seconds), the site is restarted
instead, with a note under the table.

Each person a page needs logs in once with a real POST /login (accounts.<role> in the
description); that session's cookie is sent by wrk with every request.

The pages (--pages NAME,NAME or all; a page the site does not have yet is skipped with a note):
{page_list()}

The description (--data) is the JSON scripts/bench_data.py writes: database_url, scale,
accounts.<participant|mentor|employer|coordinator|super_admin>.email/password,
objects.<posting_id|busy_posting_id|training_session_id|event_id|participant_profile_id|
mentor_profile_id|placement_id>, search.<postings_q|people_q|mentor_area|mentor_week>.

Needs wrk (apt-get install wrk). Exit status: 0 when every page answered 2xx, 1 when one did
not, 2 when the benchmark could not run.

Examples:
  make bench-data && make bench-web
  make bench-web BENCH_ARGS="--connections 32 --pages postings,postings-search,posting"
  .venv/bin/python scripts/bench_web.py --data instance/bench.json \\
      --data instance/bench-postgresql.json --duration 5s --repetitions 1
"""
    command = argparse.ArgumentParser(
        prog="bench_web.py",
        description=__doc__.split("\n\n")[0] + "\n\n" + __doc__.split("\n\n")[1],
        epilog=usage_notes,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument(
        "--data",
        action="append",
        type=Path,
        metavar="FILE",
        help="a description written by bench_data.py; repeat for several databases, one table "
        f"each (default: {DEFAULT_DATA.relative_to(ROOT)})",
    )
    command.add_argument(
        "--pages",
        metavar="NAMES",
        help="comma-separated page names, or 'all' (default: the issue's)",
    )
    command.add_argument(
        "--duration", type=duration_text, default="10s", help="how long wrk loads each page"
    )
    command.add_argument(
        "--connections", type=int, default=64, help="open connections wrk keeps (default: 64)"
    )
    command.add_argument(
        "--repetitions", type=int, default=3, help="runs over every page; medians reported"
    )
    command.add_argument(
        "--workers", type=int, default=2, help="gunicorn sync workers of each server (default: 2)"
    )
    command.add_argument(
        "--threads",
        type=int,
        default=1,
        help="wrk threads (default 1: enough for thousands of requests a second, and it leaves "
        "the cores to the workers)",
    )
    command.add_argument(
        "--timeout",
        type=duration_text,
        default="10s",
        help="wrk counts a request as timed out after this (default: 10s)",
    )
    command.add_argument(
        "--warmup",
        type=duration_text,
        default="1s",
        help="load each page this long, one connection per worker, before its first run, so "
        "every worker has compiled its templates (0 to skip; default: 1s)",
    )
    command.add_argument(
        "--markdown",
        type=Path,
        default=DEFAULT_MARKDOWN,
        metavar="FILE",
        help=f"where the Markdown tables go (default: {DEFAULT_MARKDOWN.relative_to(ROOT)})",
    )
    return command


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    if shutil.which("wrk") is None:
        print(WRK_MISSING, file=sys.stderr)
        return 2
    for name in ("connections", "repetitions", "workers", "threads"):
        if getattr(arguments, name) < 1:
            print(f"--{name} must be at least 1", file=sys.stderr)
            return 2
    try:
        options = Options(
            pages=choose_pages(arguments.pages),
            load=Load(
                arguments.connections, arguments.threads, arguments.duration, arguments.timeout
            ),
            repetitions=arguments.repetitions,
            workers=arguments.workers,
            warmup=arguments.warmup,
        )
        descriptions = [read_data(path) for path in arguments.data or [DEFAULT_DATA]]
        reports = []
        for data in descriptions:
            report = bench_database(data, options)
            reports.append(report)
            show(report.text())
    except BenchError as error:
        print(f"bench-web: {error}", file=sys.stderr)
        return 2
    arguments.markdown.parent.mkdir(parents=True, exist_ok=True)
    arguments.markdown.write_text("\n".join(report.markdown() for report in reports))
    failed = [row.name for report in reports for row in report.rows if row.failed]
    pages = sum(len(report.rows) - 1 for report in reports)
    show(
        f"Measured {pages} pages on {len(reports)} database(s); tables written to "
        f"{arguments.markdown}."
        + (f" Pages that answered other than 2xx: {', '.join(failed)}." if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
