"""Command-line work an operator does."""

import ast
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
import time_machine

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.mail.models import OutboxMessage

PACKAGE = Path(__file__).resolve().parent.parent / "marketplace"


def test_create_admin_makes_the_first_super_admin(runner, client):
    result = runner.invoke(
        args=["create-admin", "Boss@Example.org", "--name", "Boss"],
        input="long enough words\nlong enough words\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert user.roles == {Role.SUPER_ADMIN}
    login = client.post(
        "/login", data={"email": "boss@example.org", "password": "long enough words"}
    )
    assert login.headers["Location"] == "/dashboard"

    again = runner.invoke(
        args=["create-admin", "boss@example.org"], input="whatever it is\nwhatever it is\n"
    )
    assert "Updated" in again.output
    db.session.refresh(user)
    assert len(user.role_grants) == 1


def test_create_admin_refuses_a_common_password(runner):
    result = runner.invoke(args=["create-admin", "x@example.org"], input="password1\npassword1\n")
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(User).where(User.email == "x@example.org")) is None


# Commands run from cron: no request, no SERVER_NAME; links come from configuration -------------

# Commands that work on files, not on the site's data (test_translations runs the extraction);
# running them here would rewrite the catalogs in the working tree.
# Commands on files rather than on the programme's data; the backups are run in test_backup.py.
WORK_ON_FILES = {
    "translate extract", "translate update", "translate compile", "translate init",
    "backup create", "backup restore",
}  # fmt: skip

LINK = re.compile(r"\bhttps?://\S+")


def own_commands(group, prefix=()) -> set[str]:
    """The site's commands (Flask-Migrate's ``db`` group is Alembic's, tested with the
    migrations)."""
    names = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names |= own_commands(command, (*prefix, name))
        elif command.callback.__module__.startswith("marketplace."):
            names.add(" ".join((*prefix, name)))
    return names


@pytest.fixture
def no_request_possible(app, monkeypatch):
    """A command that builds a request (or asks one for a link) fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a command made a request context")

    monkeypatch.setattr(app, "test_request_context", refuse)
    monkeypatch.setattr(app, "request_context", refuse)


def run(runner, *args, input=None) -> str:
    result = runner.invoke(args=list(args), input=input)
    assert result.exit_code == 0, result.output
    assert result.exception is None, result.exception
    return result.output


def new_messages(after_id: int) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.id > after_id).order_by(OutboxMessage.id)
        )
    )


def last_message_id() -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(OutboxMessage.id), 0)))


@pytest.mark.parametrize(
    ("server_name", "scheme", "base"),
    [
        (None, "http", "http://localhost:5000/"),
        ("mentoring.example.org", "https", "https://mentoring.example.org/"),
    ],
    ids=["development default", "configured host"],
)
def test_every_command_runs_without_a_request_and_mails_links_to_the_configured_host(
    app, runner, no_request_possible, server_name, scheme, base
):
    app.config.update(SERVER_NAME=server_name, PREFERRED_URL_SCHEME=scheme)
    ran = set()

    assert "Loaded demo data" in run(runner, "demo", "load")
    ran.add("demo load")
    demo_mail = new_messages(0)

    # A year on, the demo postings are past their deadlines and reminders are due.
    later = last_message_id()
    with time_machine.travel(datetime.now(UTC) + timedelta(days=365), tick=False):
        closed = run(runner, "postings", "close-expired")
        ran.add("postings close-expired")
        closing_mail = new_messages(later)
        later = last_message_id()
        reminded = run(runner, "reminders", "send")
        ran.add("reminders send")
        reminder_mail = new_messages(later)
    assert re.search(r"Closed [1-9]\d* postings", closed)
    assert re.search(r"Sent [1-9]\d* reminders", reminded)
    assert closing_mail and reminder_mail

    assert "stays captured" in run(runner, "outbox", "send")
    ran.add("outbox send")
    assert "stays captured" in run(runner, "outbox", "worker")
    ran.add("outbox worker")
    assert "Created" in run(
        runner, "create-admin", "cron@example.org", input="long enough words\n" * 2
    )
    ran.add("create-admin")
    assert "nothing saved" in run(runner, "matching", "run", "--site", "riga", "--dry-run")
    ran.add("matching run")
    assert "Anonymised 0 participants." in run(runner, "privacy", "purge")  # no site keeps less
    ran.add("privacy purge")

    assert ran | WORK_ON_FILES == own_commands(app.cli), "a new command needs a run here"

    adapter = app.url_map.bind("localhost")
    for message in demo_mail + closing_mail + reminder_mail:
        links = LINK.findall(message.body_text)
        assert links, message.body_text
        for link in links:
            assert link.startswith(base), link
            adapter.match(link.removeprefix(base[:-1]).split("#")[0])  # a page of this site
    # The posting's staff are told, with a link to the posting.
    assert any(
        re.search(rf"{re.escape(base)}postings/\d+\n", message.body_text)
        for message in closing_mail
    )


def test_no_service_builds_links_from_the_request():
    """``flask.url_for`` needs a request (or SERVER_NAME) outside the views: only the views and
    the redirect helper use it; everything else builds links with ``marketplace.links``."""
    allowed = {"routes.py", "redirects.py"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "flask"
                and any(alias.name == "url_for" for alias in node.names)
            ):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
