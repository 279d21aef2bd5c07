"""Upgrading a database to the latest migration keeps every row it holds.

A database is built at the revision before the head (both computed from the migrations, so a new
migration is tested as soon as it is added), filled with the demo data as far as that schema
holds it, and upgraded to the head; every row of every table must still be there with the same
values. Runs on SQLite, and on PostgreSQL too when MARKETPLACE_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.config import normalise_database_url
from marketplace.extensions import db
from tests.conftest import POSTGRES_URL, base_config

Rows = dict[str, list[dict]]
# What a database says of a row its schema does not allow (a constraint, a length).
REFUSED = (sa.exc.IntegrityError, sa.exc.DataError)


def revisions(app) -> tuple[str, str]:
    """The head and the revision just before it."""
    migrations = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    head = migrations.get_revision(migrations.get_current_head())
    assert isinstance(head.down_revision, str), "the head should follow exactly one revision"
    return head.revision, head.down_revision


def data_tables(connection: sa.Connection) -> list[str]:
    """The tables holding the application's rows: not Alembic's bookkeeping, and not SQLite's
    full-text indexes (virtual tables and their shadow tables), which hold derived data."""
    names = sa.inspect(connection).get_table_names()
    virtual = set()
    if connection.dialect.name == "sqlite":
        virtual = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            ).scalars()
        )
    return [
        name
        for name in names
        if name != "alembic_version"
        and name not in virtual
        and not any(name.startswith(f"{index}_") for index in virtual)
    ]


def reflect(connection: sa.Connection) -> sa.MetaData:
    metadata = sa.MetaData()
    metadata.reflect(bind=connection, only=data_tables(connection))
    return metadata


def read_rows(connection: sa.Connection, metadata: sa.MetaData) -> Rows:
    """Every row of every table, in a stable order (primary key order, parents first)."""
    return {
        table.name: [
            dict(row)
            for row in connection.execute(
                sa.select(table).order_by(*table.primary_key.columns)
            ).mappings()
        ]
        for table in metadata.sorted_tables
    }


@pytest.fixture(scope="module")
def demo_rows(tmp_path_factory) -> Rows:
    """The demo data as built at the head: every row of every table, read back as values."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    app = create_app(base_config(f"sqlite:///{path}"))
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["demo", "load"])
        assert "Loaded demo data" in result.output, result.output
        db.session.remove()
        db.engine.dispose()
    # A plain engine: the site's own begins every transaction as a writer (marketplace/db.py).
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        rows = read_rows(connection, reflect(connection))
    engine.dispose()
    return rows


def fitting(table: sa.Table, row: dict) -> dict:
    """The row's values for the columns the older table has. SQLite hands instants back naive
    (they are UTC); PostgreSQL would read a naive one in its session's time zone."""
    values = {name: value for name, value in row.items() if name in table.columns}
    for name, value in values.items():
        aware = getattr(table.columns[name].type, "timezone", False)
        if isinstance(value, datetime) and value.tzinfo is None and aware:
            values[name] = value.replace(tzinfo=UTC)
    return values


def insert_what_fits(connection: sa.Connection, table: sa.Table, rows: list[dict]) -> int:
    """Insert ``rows`` into ``table``; a row the older schema refuses (a status it did not know
    yet, or a parent row that was refused) is left out, as no database of that time has it.
    Returns how many rows went in."""
    if not rows:
        return 0
    try:
        with connection.begin_nested():
            connection.execute(sa.insert(table), rows)
        return len(rows)
    except REFUSED:
        pass
    inserted = 0
    for row in rows:
        try:
            with connection.begin_nested():
                connection.execute(sa.insert(table), row)
            inserted += 1
        except REFUSED:
            continue
    return inserted


def continue_sequences(connection: sa.Connection, metadata: sa.MetaData) -> None:
    """Rows were inserted with their ids; PostgreSQL's sequences must carry on after them, as
    they would in a database that made those rows itself."""
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, sa.Integer):
                connection.execute(
                    sa.text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f'coalesce(max("{column.name}"), 0) + 1, false) FROM "{table.name}"'
                    ),
                    {"table": table.name, "column": column.name},
                )


def load_demo_rows(demo_rows: Rows) -> tuple[int, int]:
    """Fill the app's database, at the older revision, with the demo rows that fit it.
    Returns how many rows went in, and how many the older schema's tables were offered."""
    loaded = offered = 0
    with db.engine.begin() as connection:
        metadata = reflect(connection)
        for table in metadata.sorted_tables:
            rows = [fitting(table, row) for row in demo_rows.get(table.name, [])]
            loaded += insert_what_fits(connection, table, rows)
            offered += len(rows)
        if connection.dialect.name == "postgresql":
            continue_sequences(connection, metadata)
    return loaded, offered


def triggers(connection: sa.Connection) -> set[str]:
    if connection.dialect.name != "sqlite":
        return set()
    return set(
        connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .scalars()
        .all()
    )


def snapshot() -> tuple[Rows, set[str]]:
    with db.engine.connect() as connection:
        return read_rows(connection, reflect(connection)), triggers(connection)


def _sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'upgrade.sqlite'}"


def _empty_postgres_database(tmp_path: Path) -> str:
    """A PostgreSQL database of this test's own beside the suite's, emptied: building it at an
    older revision must not disturb the database the other tests share."""
    configured = sa.engine.make_url(normalise_database_url(POSTGRES_URL))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"{configured.database}_upgrade" + (f"_{worker}" if worker else "")
    server = sa.create_engine(configured, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ):
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server.dispose()
    url = configured.set(database=name)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url.render_as_string(hide_password=False)


@pytest.mark.parametrize(
    "empty_database",
    [
        pytest.param(_sqlite_url, id="sqlite"),
        pytest.param(
            _empty_postgres_database,
            id="postgresql",
            marks=pytest.mark.skipif(
                not POSTGRES_URL, reason="MARKETPLACE_TEST_DATABASE_URL is not set"
            ),
        ),
    ],
)
def test_upgrading_to_the_head_keeps_every_row(demo_rows, tmp_path, empty_database):
    app = create_app(base_config(empty_database(tmp_path)))
    with app.app_context():
        head, previous = revisions(app)
        upgrade(revision=previous)
        loaded, offered = load_demo_rows(demo_rows)
        before, triggers_before = snapshot()
        db.engine.dispose()

        upgrade(revision=head)
        after, triggers_after = snapshot()
        db.engine.dispose()

    # Rows the migrations made themselves (data_version's) are not offered twice; a few others
    # may be of a kind the older schema did not know yet.
    assert loaded >= 0.9 * offered > 500, "the older schema should hold the demo data"
    for table, rows in before.items():
        assert table in after, f"the upgrade dropped the table {table}"
        columns = rows[0].keys() if rows else ()
        kept = [{name: row.get(name, "(dropped)") for name in columns} for row in after[table]]
        assert len(kept) == len(rows), f"row count of {table}"
        assert kept == rows, f"rows of {table}"
    # SQLite drops a table's triggers when a batch migration recreates the table; the search
    # indexes (migration 8e1f4a5b2c73) would silently stop following their tables.
    assert triggers_before <= triggers_after, "the upgrade dropped triggers"
