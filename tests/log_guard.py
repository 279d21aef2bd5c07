"""A pytest plugin that fails every test whose log lines carry a secret.

Turned on for the whole suite by ``pytest_plugins = ["tests.log_guard"]`` in tests/conftest.py
(or for one run by ``pytest -p tests.log_guard``).

Secrets looked for in each line:

- passwords: the ones the fixtures use, and every password typed into a form's password field or
  stored with ``User.set_password`` while the test runs;
- tokens: every value made by ``secrets.token_urlsafe`` and ``secrets.token_hex`` (session and
  calendar-feed tokens) and by an itsdangerous serializer (confirmation and reset links, CSRF
  tokens, the session cookie) while the test runs, and the raw CSRF token a serializer signs;
- the secret key;
- any e-mail address (a masked one such as ``o***@example.org`` passes).

Tokens are recorded where they are made rather than guessed from a line's shape: a random
URL-safe string looks just like a long identifier, a hash or a file name, so a pattern would
either miss tokens or fail tests at random. Recorded passwords and tokens are forgotten before
each test, so a value from one test never matches by chance in another.

Lines read:

- every log record of the test process. The root logger is lowered to INFO and the site's own
  ``marketplace`` loggers (Flask's ``app.logger`` and the module loggers under it) to DEBUG, so
  lines a production logging set-up could show are read, not only warnings. SQL echo stays off
  (``sqlalchemy.engine`` at WARNING): it prints bound parameters by design and is only switched on
  to debug;
- for a test that uses the live server (gunicorn, a separate process), its captured standard
  error, where that server writes its logs. Tokens made in that process are not known here, so
  there only passwords, the secret key and e-mail addresses are caught, and nothing is read when
  capturing is off (``-s``).

Not read: the SMTP server the mail tests start (aiosmtpd's ``mail.log``). It stands in for the
outside mail server, which is not the site's to log, and writes every envelope by design.

A line with a secret fails the test during which it was written (setup, call or teardown), with
the line in the report; a line written outside any test fails the run at its end.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pytest

# The site's shortest allowed password: a shorter string typed in a test ("x", "abc") would
# match ordinary words in a line.
SHORTEST_PASSWORD = 8
# Shorter random values are not used as secrets and could appear in a line by chance.
SHORTEST_TOKEN = 16
LONGEST_ROW_SHOWN = 200

# Local part without "*", so that a masked address ("o***@example.org") is not one.
EMAIL_ADDRESS = re.compile(r"[\w.!#$%&'+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")

# Flask's app.logger is named after the package; the site's module loggers are its children.
SITE_LOGGER = "marketplace"
LIBRARY_LOGGERS = ("werkzeug", "sqlalchemy", "flask-limiter", "alembic", "flask_migrate")
SQL_ECHO_LOGGER = "sqlalchemy.engine"
STAND_IN_LOGGERS = ("mail.log",)
LIVE_SERVER_FIXTURE = "live_server"


@dataclass(frozen=True)
class Leak:
    kind: str
    value: str
    line: str
    source: str

    def describe(self) -> str:
        """The kind of secret, the line's first row and, in a traceback, the last row with it
        (the exception's own text)."""
        rows = [row.strip() for row in self.line.strip().splitlines()] or [""]
        with_secret = [rows[0], *(row for row in rows if self.value in row)][-1]
        shown = [rows[0]] if with_secret == rows[0] else [rows[0], with_secret]
        return f"{self.kind} in a {self.source} line: " + " … ".join(map(shortened, shown))


def shortened(text: str) -> str:
    return text if len(text) <= LONGEST_ROW_SHOWN else text[:LONGEST_ROW_SHOWN] + "…"


class KnownSecrets:
    """Fixed secrets, and those recorded while the current test runs."""

    def __init__(self, fixed: dict[str, str]):
        self.fixed = fixed  # value -> kind
        self.recorded: dict[str, str] = {}

    def record(self, value, kind: str, shortest: int) -> None:
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if isinstance(value, str) and len(value) >= shortest:
            self.recorded[value] = kind

    def forget_recorded(self) -> None:
        self.recorded.clear()

    def found_in(self, line: str) -> list[tuple[str, str]]:
        """(kind, value) of every secret in ``line``."""
        found = [
            (kind, value)
            for secrets_by_value in (self.fixed, self.recorded)
            for value, kind in secrets_by_value.items()
            if value in line
        ]
        found += [("e-mail address", match) for match in EMAIL_ADDRESS.findall(line)]
        return found


def find_leaks(known: KnownSecrets, lines: Iterable[str], source: str) -> list[Leak]:
    return [
        Leak(kind, value, line, source) for line in lines for kind, value in known.found_in(line)
    ]


def first_of_each_secret(leaks: Iterable[Leak]) -> list[Leak]:
    """One leak per secret: a line seen both as a record and on stderr is reported once."""
    first: dict[tuple[str, str], Leak] = {}
    for leak in leaks:
        first.setdefault((leak.kind, leak.value), leak)
    return list(first.values())


LINE_FORMAT = logging.Formatter("%(levelname)s %(name)s: %(message)s")


def format_line(record: logging.LogRecord) -> str:
    """A record as a handler would write it: the message with its arguments, then the
    exception's traceback and the stack when the record has them."""
    try:
        return LINE_FORMAT.format(record)
    except Exception:  # arguments that do not fit the message are still written somewhere
        return f"{record.levelname} {record.name}: {record.msg!r} {record.args!r}"


class LogLineRecorder(logging.Handler):
    """Keeps every log line written since it was last asked."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name not in STAND_IN_LOGGERS:
            self.lines.append(format_line(record))

    def take_lines(self) -> list[str]:
        with self.lock:  # a thread of the test may be writing a line meanwhile
            lines, self.lines = self.lines, []
        return lines


def enable_every_logger() -> None:
    """Undo alembic's ``fileConfig``: every migration disables each existing logger it does not
    name (the site's and Flask-Limiter's among them), which then drop their lines unseen."""
    for logger in logging.Logger.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False
    for name in (SITE_LOGGER, *LIBRARY_LOGGERS):
        logging.getLogger(name).propagate = True


def lower_levels_to_what_production_may_show() -> None:
    root = logging.getLogger()
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)
    site = logging.getLogger(SITE_LOGGER)
    if site.getEffectiveLevel() > logging.DEBUG:
        site.setLevel(logging.DEBUG)
    sql_echo = logging.getLogger(SQL_ECHO_LOGGER)
    if sql_echo.level == logging.NOTSET:
        sql_echo.setLevel(logging.WARNING)


def route_every_logger_to(handler: logging.Handler) -> None:
    """Attach ``handler`` to the root logger and let every logger's lines reach it.

    Done again before each test phase: a migration (alembic's ``fileConfig``) also removes the
    root logger's handlers and sets it back to WARNING.
    """
    root = logging.getLogger()
    if handler not in root.handlers:
        root.addHandler(handler)
    lower_levels_to_what_production_may_show()
    enable_every_logger()


def observe_calls(owner, name: str, observe: Callable[[tuple, object], None]) -> Callable:
    """Replace ``owner.name`` by a function that calls it, then passes its arguments and
    result to ``observe``. Returns the function that puts the original back."""
    original = getattr(owner, name)
    own_attribute = vars(owner).get(name)

    @functools.wraps(original)
    def observed(*args, **kwargs):
        result = original(*args, **kwargs)
        observe(args, result)
        return result

    setattr(owner, name, observed)

    def restore() -> None:
        if own_attribute is None:
            delattr(owner, name)
        else:
            setattr(owner, name, own_attribute)

    return restore


def record_secrets_where_they_are_made(known: KnownSecrets) -> list[Callable]:
    from itsdangerous.serializer import Serializer
    from wtforms.fields.simple import PasswordField

    from marketplace.accounts.models import User

    def token(_args, result):
        known.record(result, "token", SHORTEST_TOKEN)

    def signed_token(args, result):
        known.record(result, "token", SHORTEST_TOKEN)
        # Flask-WTF signs its raw CSRF token, which the session keeps as it is.
        known.record(args[1], "token", SHORTEST_TOKEN)

    def typed_password(args, _result):
        known.record(args[0].data, "password", SHORTEST_PASSWORD)

    def stored_password(args, _result):
        known.record(args[1], "password", SHORTEST_PASSWORD)

    return [
        observe_calls(secrets, "token_urlsafe", token),
        observe_calls(secrets, "token_hex", token),
        observe_calls(Serializer, "dumps", signed_token),
        observe_calls(PasswordField, "process_formdata", typed_password),
        observe_calls(User, "set_password", stored_password),
    ]


def fixed_secrets() -> dict[str, str]:
    from marketplace.demo import DEMO_PASSWORD
    from tests.conftest import TEST_PASSWORD, base_config

    return {
        TEST_PASSWORD: "password",
        DEMO_PASSWORD: "password",
        base_config("sqlite://")["SECRET_KEY"]: "secret key",
    }


@dataclass
class LogGuard:
    known: KnownSecrets
    recorder: LogLineRecorder = field(default_factory=LogLineRecorder)
    restorers: list[Callable] = field(default_factory=list)
    outside_tests: list[Leak] = field(default_factory=list)

    def start(self) -> None:
        self.restorers = record_secrets_where_they_are_made(self.known)
        route_every_logger_to(self.recorder)

    def stop(self) -> None:
        for restore in reversed(self.restorers):
            restore()
        logging.getLogger().removeHandler(self.recorder)

    def begin_test(self) -> None:
        self.outside_tests += find_leaks(self.known, self.recorder.take_lines(), "log")
        self.known.forget_recorded()
        route_every_logger_to(self.recorder)

    def begin_phase(self) -> None:
        route_every_logger_to(self.recorder)

    def leaks_of_phase(self, captured_stderr: str) -> list[Leak]:
        leaks = find_leaks(self.known, self.recorder.take_lines(), "log")
        leaks += find_leaks(self.known, captured_stderr.splitlines(), "stderr")
        return first_of_each_secret(leaks)

    def leaks_outside_tests(self) -> list[Leak]:
        self.outside_tests += find_leaks(self.known, self.recorder.take_lines(), "log")
        return first_of_each_secret(self.outside_tests)


GUARD = pytest.StashKey[LogGuard]()


def pytest_configure(config: pytest.Config) -> None:
    guard = LogGuard(KnownSecrets(fixed_secrets()))
    guard.start()
    config.stash[GUARD] = guard


def pytest_unconfigure(config: pytest.Config) -> None:
    guard = config.stash.get(GUARD, None)
    if guard is not None:
        guard.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.config.stash[GUARD].begin_test()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    item.config.stash[GUARD].begin_phase()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    item.config.stash[GUARD].begin_phase()


def live_server_stderr(item: pytest.Item, report: pytest.TestReport) -> str:
    """What the live server wrote during this phase; other tests' standard error only repeats
    log records already read."""
    if LIVE_SERVER_FIXTURE not in getattr(item, "fixturenames", ()):
        return ""
    title = f"Captured stderr {report.when}"
    return "".join(content for name, content in report.sections if name == title)


def fail_report(report: pytest.TestReport, leaks: list[Leak]) -> None:
    title = f"Secrets in log lines ({report.when})"
    text = "\n".join(
        [
            *(leak.describe() for leak in leaks),
            "Log an id or a masked address instead of the value.",
        ]
    )
    if report.failed:
        report.sections.append((title, text))
        return
    report.outcome = "failed"
    report.longrepr = f"{title}:\n{text}"
    if hasattr(report, "wasxfail"):
        del report.wasxfail


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    leaks = item.config.stash[GUARD].leaks_of_phase(live_server_stderr(item, report))
    if leaks:
        fail_report(report, leaks)
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    guard = session.config.stash.get(GUARD, None)
    if guard is not None and guard.leaks_outside_tests():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    guard = config.stash.get(GUARD, None)
    leaks = guard.leaks_outside_tests() if guard is not None else []
    if leaks:
        terminalreporter.section("Secrets in log lines written outside any test", red=True)
        for leak in leaks:
            terminalreporter.write_line(leak.describe())
