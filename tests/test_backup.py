"""``flask backup create`` and ``flask backup restore`` on SQLite, and their refusal on PostgreSQL.

These tests always run on SQLite files of their own, whatever MARKETPLACE_TEST_DATABASE_URL says:
the commands back up SQLite only, and on PostgreSQL their only job is to refuse.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.extensions import db
from tests.conftest import base_config

POSTGRES = "postgresql://operator:do-not-print@db.example.org:5433/marketplace"


def sqlite_app(path: Path):
    return create_app(base_config(f"sqlite:///{path}"))


def run(app, *args: str, input: str | None = None):
    # As the flask command does, which pushes the app's context before running a command.
    with app.app_context():
        return app.test_cli_runner().invoke(args=["backup", *args], input=input)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory) -> Path:
    """A database at the latest migration holding the demo data, built once for the module."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    app = sqlite_app(path)
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert "Loaded demo data" in result.output, result.output
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def site_database(demo_database, tmp_path) -> Path:
    """This test's own copy of the demo database, as a running site would have it."""
    path = tmp_path / "site.sqlite"
    shutil.copyfile(demo_database, path)
    return path


def rows_by_table(connection: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table, the search indexes' own tables included, in a stable order."""
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    ).fetchall()
    return {
        name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        for (name,) in tables
    }


def schema(connection: sqlite3.Connection) -> list[tuple]:
    return connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def contents(path: Path) -> tuple[list[tuple], dict[str, list[tuple]]]:
    with closing(sqlite3.connect(path)) as connection:
        return schema(connection), rows_by_table(connection)


def assert_same_rows(actual: dict[str, list[tuple]], expected: dict[str, list[tuple]]) -> None:
    assert sorted(actual) == sorted(expected)
    for table, rows in expected.items():
        assert len(actual[table]) == len(rows), f"row count of {table}"
        assert actual[table] == rows, f"rows of {table}"


def previous_revision(app) -> str:
    migrations = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    return migrations.get_revision(migrations.get_current_head()).down_revision


def test_backup_taken_during_open_transactions_restores_every_row(site_database, tmp_path):
    backup = tmp_path / "backups" / "nightly.sqlite"
    backup.parent.mkdir()
    with (
        closing(sqlite3.connect(site_database, isolation_level=None)) as reader,
        closing(sqlite3.connect(site_database, isolation_level=None)) as writer,
    ):
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        # Committed but still only in the -wal file: a copy of the database file would miss it.
        writer.execute("UPDATE site SET name = name || ' (renamed)'")
        reader.execute("BEGIN")
        committed_schema, committed = schema(reader), rows_by_table(reader)
        # A request in the middle of its write: the backup must neither wait for it nor keep it.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE user_account SET display_name = 'Not yet committed'")
        writer.execute("DELETE FROM audit_entry")

        result = run(sqlite_app(site_database), "create", str(backup))

        writer.execute("ROLLBACK")
        reader.execute("ROLLBACK")
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    assert [path.name for path in backup.parent.iterdir()] == ["nightly.sqlite"]
    assert sum(map(len, committed.values())) > 500, "the demo data should fill the tables"
    assert contents(backup) == (committed_schema, committed)

    restored = tmp_path / "restored.sqlite"
    result = run(sqlite_app(restored), "restore", str(backup))

    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert "db upgrade" not in result.output
    restored_schema, restored_rows = contents(restored)
    assert restored_schema == committed_schema
    assert_same_rows(restored_rows, committed)


def test_backup_replaces_an_older_backup_at_the_same_path(site_database, tmp_path):
    backup = tmp_path / "latest.sqlite"
    backup.write_bytes(b"yesterday's backup")

    result = run(sqlite_app(site_database), "create", str(backup))

    assert result.exit_code == 0, result.output
    assert contents(backup) == contents(site_database)


def _text_file(path: Path) -> None:
    path.write_text("id,email\n1,someone\n")


def _database_of_another_application(path: Path) -> None:
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        other.commit()


def _database_at_an_unknown_revision(path: Path) -> None:
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        other.execute("INSERT INTO alembic_version VALUES ('0123456789ab')")
        other.commit()


@pytest.mark.parametrize(
    ("make_file", "reason"),
    [
        (_text_file, "not a SQLite database"),
        (_database_of_another_application, "no alembic_version table"),
        (_database_at_an_unknown_revision, "does not know"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup_of_this_site(
    site_database, tmp_path, make_file, reason
):
    not_a_backup = tmp_path / "upload.sqlite"
    make_file(not_a_backup)
    before = contents(site_database)

    result = run(sqlite_app(site_database), "restore", "--yes", str(not_a_backup))

    assert result.exit_code == 1
    assert reason in result.output
    assert contents(site_database) == before


def test_restore_replaces_the_database_only_when_the_operator_confirms(site_database, tmp_path):
    app = sqlite_app(site_database)
    backup = tmp_path / "backup.sqlite"
    assert run(app, "create", str(backup)).exit_code == 0
    with closing(sqlite3.connect(site_database)) as site:
        site.execute("DELETE FROM message")
        site.commit()
    changed = contents(site_database)

    declined = run(app, "restore", str(backup), input="n\n")

    assert declined.exit_code == 1
    assert "Replace every row" in declined.output
    assert contents(site_database) == changed

    confirmed = run(app, "restore", str(backup), input="y\n")

    assert confirmed.exit_code == 0, confirmed.output
    assert contents(site_database) == contents(backup)


def test_restoring_a_backup_of_an_older_version_asks_for_db_upgrade(tmp_path):
    older = tmp_path / "older.sqlite"
    app = sqlite_app(older)
    with app.app_context():
        upgrade(revision=previous_revision(app))
        db.engine.dispose()

    result = run(sqlite_app(tmp_path / "site.sqlite"), "restore", str(older))

    assert result.exit_code == 0, result.output
    assert "run 'flask --app wsgi db upgrade'" in result.output


@pytest.mark.parametrize(
    ("command", "advice"),
    [
        (
            "create",
            "pg_dump --format=custom --host=db.example.org --port=5433 --username=operator "
            "--dbname=marketplace --file=/srv/backups/marketplace.dump",
        ),
        (
            "restore",
            "pg_restore --clean --if-exists --no-owner --host=db.example.org --port=5433 "
            "--username=operator --dbname=marketplace /srv/backups/marketplace.dump",
        ),
    ],
)
def test_commands_refuse_on_postgresql_and_name_its_tools(command, advice):
    app = create_app(base_config(POSTGRES))

    result = run(app, command, "/srv/backups/marketplace.dump")

    assert result.exit_code == 1
    assert advice in result.output
    assert "do-not-print" not in result.output
