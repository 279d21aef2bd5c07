"""Bulk writing: rows in batches through SQLAlchemy Core (``executemany``), ids handed out here,
progress on the terminal, and the database tuned for a load and tidied after it.

Rows go through each column's own type (instants in UTC, enums checked against their values,
JSON), and the database checks its constraints as for any other write: only the ORM's
per-object bookkeeping is skipped.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

import sqlalchemy as sa

from marketplace.db import Base


class Loader:
    """Inserts rows into the tables of one connection, committing batch by batch."""

    def __init__(self, connection: sa.Connection, batch_size: int = 5000, out=sys.stdout):
        self.connection = connection
        self.batch_size = batch_size
        self.out = out
        self.live = out.isatty()
        self.dialect = connection.dialect.name
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self._next_ids: dict[str, int] = {}

    # Ids are given here, so rows can name each other before they are written; each table
    # continues after the rows it already has (sites and questionnaires come from the ORM).
    def next_id(self, table: sa.Table) -> int:
        if table.name not in self._next_ids:
            largest = self.connection.scalar(sa.select(sa.func.max(table.c.id)))
            self._next_ids[table.name] = (largest or 0) + 1
        value = self._next_ids[table.name]
        self._next_ids[table.name] = value + 1
        return value

    def tune_for_loading(self) -> None:
        if self.dialect == "sqlite":
            # Outside any transaction, on the connection's own driver (as migrations/env.py does).
            raw = self.connection.connection.driver_connection
            for pragma in (
                "journal_mode=WAL",
                "synchronous=OFF",
                "cache_size=-262144",
                "temp_store=MEMORY",
            ):
                raw.execute(f"PRAGMA {pragma}")
        else:
            self.connection.exec_driver_sql("SET synchronous_commit = off")
            self.connection.commit()

    def insert(self, table: sa.Table, rows: Iterable[dict], label: str | None = None) -> int:
        """Write ``rows`` (an iterable, consumed batch by batch) and report progress."""
        label = label or table.name
        started = time.perf_counter()
        done = 0
        batch: list[dict] = []
        statement = table.insert()
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch_size:
                done += self._write(statement, batch)
                batch = []
                self._progress(label, done, started, final=False)
        if batch:
            done += self._write(statement, batch)
        self._account(label, done, started)
        self._progress(label, done, started, final=True)
        return done

    def _write(self, statement, batch: list[dict]) -> int:
        self.connection.execute(statement, batch)
        self.connection.commit()
        return len(batch)

    def _account(self, label: str, done: int, started: float) -> None:
        self.counts[label] = self.counts.get(label, 0) + done
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - started

    def _progress(self, label: str, done: int, started: float, final: bool) -> None:
        if not final and not self.live:
            return
        seconds = max(time.perf_counter() - started, 1e-6)
        line = f"  {label:<26} {done:>10,} rows {seconds:7.1f} s {done / seconds:>10,.0f} rows/s"
        if self.live:
            self.out.write("\r" + line + ("\n" if final else ""))
        else:
            self.out.write(line + "\n")
        self.out.flush()


class Buffered:
    """Rows of one table that arrive a few at a time from everywhere (status history, audit
    entries), written whenever a batch is full and once more at the end."""

    def __init__(self, loader: Loader, table: sa.Table, label: str):
        self.loader = loader
        self.table = table
        self.label = label
        self.rows: list[dict] = []
        self.written = 0
        self.seconds = 0.0

    def add(self, row: dict) -> None:
        row["id"] = self.loader.next_id(self.table)
        self.rows.append(row)
        if len(self.rows) >= self.loader.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.perf_counter()
        self.written += self.loader._write(self.table.insert(), self.rows)
        self.seconds += time.perf_counter() - started
        self.rows = []

    def finish(self) -> None:
        self.flush()
        self.loader.counts[self.label] = self.written
        self.loader.seconds[self.label] = self.seconds
        seconds = max(self.seconds, 1e-6)
        self.loader.out.write(
            f"  {self.label:<26} {self.written:>10,} rows {seconds:7.1f} s "
            f"{self.written / seconds:>10,.0f} rows/s (written along the way)\n"
        )


def continue_sequences(connection: sa.Connection) -> None:
    """PostgreSQL: each id sequence goes on after the ids given here, so the site's own inserts
    do not collide with them."""
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
            f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table.name}"'
        )
    connection.commit()


def tidy_after_loading(engine: sa.Engine) -> None:
    """Give the query planner statistics of the new rows (as a database in use would have)
    and fold SQLite's write-ahead log back into the file."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            raw.execute("ANALYZE")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE)")
