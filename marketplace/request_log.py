"""A request id on every request and log line, JSON logs for production, and a readiness check.

Several app servers behind one proxy write to several logs: the request id ties together the
proxy's line, the app's lines and a person's report ("it failed at 10:02, request id …"). It is
taken from the proxy's ``X-Request-ID`` header when that is a short, plain token (anything else
could forge or garble log lines), else made here, and returned in the answer's ``X-Request-ID``.

With ``MARKETPLACE_LOG_FORMAT=json`` every log record becomes one JSON object per line, with the
request's id, method and path, and each request adds one access line with its status and
duration, so a log collector can search by field. A line carries no personal data: no query
string (a search may hold a name), no visitor's address, and no part of the path that is not a
number (a link's token, a certificate's code).

``/readyz`` says whether this instance can serve now (its database and, when configured, the
rate limits' Redis answer), so a load balancer sends it nothing until it can; ``/healthz`` only
says that the process is alive.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    jsonify,
    request,
    request_finished,
    request_started,
)
from flask.logging import default_handler

from marketplace.authz import public
from marketplace.config import ConfigurationError
from marketplace.extensions import db, limiter

HEADER = "X-Request-ID"
# Letters, digits and - _ . only, at most 64 (a UUID, nginx's $request_id): an id a client
# sends is written into every line of its request, so it must not be able to break a line.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ACCESS_LOGGER = "marketplace.access"
# The storages whose limits count on this instance alone: nothing to wait for.
LOCAL_LIMIT_STORAGES = ("memory://",)
LOG_FORMATS = ("text", "json")
# "<int:posting_id>", "<token>", "<string(length=2):code>" in a route's rule.
ROUTE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?(?P<name>\w+)>")
# The first part of a path that matched no route is kept when it looks like one of the site's
# own ("postings", "calendar"); shorter than any token the site makes.
PLAIN_WORD = re.compile(r"[A-Za-z0-9_-]{1,20}")


def request_id() -> str:
    """The current request's id, taken or made once per request."""
    if "request_id" not in g:
        sent = request.headers.get(HEADER, "")
        g.request_id = sent if SAFE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
    return g.request_id


def loggable_path() -> str:
    """The request's path without its query string, and with every variable part that is not a
    number (a link's token, a certificate's code) shown as the route's variable name.

    Of a path that matched no route only its first part is kept, and only when it is a plain
    word: a mistyped or truncated link may still carry a token or an e-mail address.
    """
    rule = request.url_rule
    if rule is None:
        first, _slash, rest = request.path.lstrip("/").partition("/")
        if not first:
            return "/"
        shown = "/" + (first if PLAIN_WORD.fullmatch(first) else "…")
        return shown + "/…" if rest else shown
    values = request.view_args or {}

    def shown(variable: re.Match) -> str:
        name = variable.group("name")
        value = values.get(name)
        return str(value) if isinstance(value, int) else f"<{name}>"

    return ROUTE_VARIABLE.sub(shown, rule.rule)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: when, how bad, where from, what, and which request."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context():
            entry.update(request_id=request_id(), method=request.method, path=loggable_path())
        for field in ("status", "duration_ms"):
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _start(app: Flask, **_extra) -> None:
    g.request_started_at = time.perf_counter()
    request_id()


def _log_access(app: Flask, response: Response, **_extra) -> None:
    # Sent after every after-request hook, so the status is the one the visitor gets.
    if app.config.get("LOG_FORMAT") != "json":
        return
    started = g.get("request_started_at")
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    logging.getLogger(ACCESS_LOGGER).info(
        "%s %s %s",
        request.method,
        loggable_path(),
        response.status_code,
        extra={"status": response.status_code, "duration_ms": duration_ms},
    )


def _return_request_id(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    return response


def _write_json_logs(app: Flask) -> None:
    """Every logger's records, the site's and its libraries', as JSON on standard error, where
    gunicorn and systemd collect a worker's output; the site's own from INFO up."""
    root = logging.getLogger()
    if not any(isinstance(handler.formatter, JsonFormatter) for handler in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    # Flask's own handler would print each of the site's lines a second time, as plain text.
    app.logger.removeHandler(default_handler)
    if app.logger.getEffectiveLevel() > logging.INFO:
        app.logger.setLevel(logging.INFO)


def _database_state() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return "unavailable"
    return "ok"


def _rate_limit_state() -> str:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if uri.startswith(LOCAL_LIMIT_STORAGES):
        return "not configured"
    return "ok" if limiter.storage.check() else "unavailable"


@public
def readyz():
    """200 when this instance can serve requests now, 503 (naming what failed) when not."""
    states = {"database": _database_state(), "rate_limits": _rate_limit_state()}
    ready = all(state in ("ok", "not configured") for state in states.values())
    return jsonify(ready=ready, **states), 200 if ready else 503


def register(app: Flask) -> None:
    """Give every request an id and, with ``LOG_FORMAT`` json, log as JSON; serve ``/readyz``.
    Registering twice changes nothing."""
    if "request_log" in app.extensions:
        return
    log_format = app.config.get("LOG_FORMAT", "text")
    if log_format not in LOG_FORMATS:
        raise ConfigurationError(f"MARKETPLACE_LOG_FORMAT must be one of: {', '.join(LOG_FORMATS)}")
    app.extensions["request_log"] = True
    # Signals, not hooks: request_started comes before every before-request hook, so a request
    # refused by the access rules or a limit still has an id and a duration.
    request_started.connect(_start, app)
    request_finished.connect(_log_access, app)
    app.after_request(_return_request_id)
    app.add_url_rule("/readyz", "readyz", readyz, methods=["GET"])
    if log_format == "json":
        _write_json_logs(app)
