"""Requesting any route as any visitor of the access world, with CSRF protection on, and
telling what came back: the page ("ok"), the way to the login ("login"), or a refusal."""

from __future__ import annotations

import re
import secrets
from contextlib import contextmanager

import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from marketplace.mail.models import OutboxMessage
from tests.access_world import AccessWorld
from tests.conftest import english_client, log_in

# Which world object a URL argument means, where the same name means different things.
ARGUMENTS_BY_BLUEPRINT = {
    ("session_id", "placements"): "mentoring_session_id",
    ("session_id", "training"): "training_session_id",
    ("session_id", "account"): "device_id",
    ("profile_id", "mentors"): "mentor_profile_id",
    ("profile_id", "participants"): "participant_profile_id",
    ("profile_id", "plans"): "participant_profile_id",
    ("profile_id", "recommendations"): "participant_profile_id",
    ("number", "plans"): "plan_version_number",
}
FIXED_ARGUMENTS = {"kind": "application", "action": "approve", "how": "completed"}
FIXED_BY_BLUEPRINT = {("action", "postings"): "publish", ("kind", "indicators"): "csv"}


def path_for(app, rule, world: AccessWorld) -> str:
    blueprint = rule.endpoint.split(".")[0]
    values = {}
    for argument in rule.arguments:
        if (argument, blueprint) in FIXED_BY_BLUEPRINT:
            values[argument] = FIXED_BY_BLUEPRINT[argument, blueprint]
        elif argument in FIXED_ARGUMENTS:
            values[argument] = FIXED_ARGUMENTS[argument]
        elif argument == "subject_id":
            values[argument] = world.ids["application_id"]
        elif argument == "token":
            values[argument] = (
                world.ids["feed_token"] if blueprint == "calendars" else "not-a-valid-token"
            )
        elif argument == "message_id" and blueprint == "mail":
            values[argument] = db.session.scalar(sa.select(sa.func.min(OutboxMessage.id)))
        else:
            name = ARGUMENTS_BY_BLUEPRINT.get((argument, blueprint), argument)
            values[argument] = world.ids[name]
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def client_as(app, world: AccessWorld, visitor: str):
    """A client for ``visitor`` holding a CSRF token, as a browser that has loaded a form."""
    client = english_client(app)
    person = world.people[visitor]
    if person is not None:
        log_in(client, person)
        if visitor == "deactivated":
            person.active = False
            db.session.commit()
    raw = secrets.token_hex(20)
    with client.session_transaction() as session:
        session["csrf_token"] = raw
    client.csrf_token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return client


def request(client, method: str, path: str, *, with_token: bool = True):
    data = {"csrf_token": client.csrf_token} if with_token and method == "POST" else {}
    return client.open(path, method=method, data=data)


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


@contextmanager
def tables_written():
    """Collect the names of the tables the statements inside the block write to."""
    written: set[str] = set()

    def watch(_connection, _cursor, statement, *_args):
        match = WRITE.match(statement)
        if match:
            written.add(match.group(1))

    sa.event.listen(db.engine, "before_cursor_execute", watch)
    try:
        yield written
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", watch)


def latest_audit_entry() -> int:
    return db.session.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0


def audit_entries_after(entry_id: int) -> list[tuple[str, int | None]]:
    """(action, actor id) of the audit entries written since ``entry_id``."""
    query = sa.select(AuditEntry.action, AuditEntry.actor_id).where(AuditEntry.id > entry_id)
    return [tuple(row) for row in db.session.execute(query.order_by(AuditEntry.id))]


def forget_audit_entries_after(entry_id: int) -> None:
    """Put the audit log back as it was: cheaper than restoring the whole world."""
    db.session.execute(sa.delete(AuditEntry).where(AuditEntry.id > entry_id))
    db.session.commit()


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status == 302 and "/login" in response.headers["Location"]:
        return "login"
    if status in (403, 404):
        return "refused"
    if status == 400 and "Something in the request was not right" in response.get_data(True):
        return "bad request"
    if status == 429:
        return "limited"
    return "ok"


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table: to see whether a request changed anything, and to put the
    world back as it was before the next visitor tries (much faster than building it again)."""
    db.session.commit()
    return {
        table.name: [dict(row._mapping) for row in db.session.execute(sa.select(table))]
        for table in db.metadata.sorted_tables
    }


def restore(rows: dict[str, list[dict]]) -> None:
    tables = db.metadata.sorted_tables
    for table in reversed(tables):
        db.session.execute(table.delete())
    for table in tables:
        if rows[table.name]:
            db.session.execute(table.insert(), rows[table.name])
    if db.engine.dialect.name == "postgresql":
        # Rows came back with their ids; move each id sequence past them.
        for table in tables:
            serial = table.autoincrement_column  # None for a key by name, as data_version's
            if serial is not None and rows[table.name]:
                db.session.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence(:table, :column), :value)"),
                    {
                        "table": table.name,
                        "column": serial.name,
                        "value": max(row[serial.name] for row in rows[table.name]),
                    },
                )
    db.session.commit()
    db.session.expire_all()
