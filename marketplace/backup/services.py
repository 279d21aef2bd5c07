"""Consistent online backups of the SQLite database, and restoring one in place.

Both directions go through SQLite's backup API rather than a file copy: a copy of the file taken
while the site writes (or with changes still in the ``-wal`` file) can be torn or stale, and a
file copied over a database that the site has open corrupts it.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup cannot be made or restored; the message tells the operator why."""


@dataclass(frozen=True)
class Backup:
    path: Path
    revision: str
    size: int


def database_file(url: URL, action: str, path: Path) -> Path:
    """The SQLite file behind ``url``; any other database is refused with the commands of its
    own tools, which know its format better than we could."""
    backend = url.get_backend_name()
    if backend == "postgresql":
        raise BackupError(postgres_instructions(url, action, path))
    if backend != "sqlite":
        raise BackupError(f"Backups are made for SQLite only; use {backend}'s own tools.")
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    return Path(url.database)


def postgres_instructions(url: URL, action: str, path: Path) -> str:
    # The password is never printed: pg_dump and pg_restore read PGPASSWORD or ~/.pgpass.
    connection = _postgres_options(url)
    dump = shlex.quote(str(path))
    if action == "create":
        return (
            "The database is PostgreSQL: back it up with pg_dump (custom format), e.g.\n"
            f"  pg_dump --format=custom {connection} --file={dump}\n"
            "The password is read from PGPASSWORD or ~/.pgpass."
        )
    return (
        "The database is PostgreSQL: restore with pg_restore, best into an empty database, "
        "then bring its schema up to date, e.g.\n"
        f"  pg_restore --clean --if-exists --no-owner {connection} {dump}\n"
        "  flask --app wsgi db upgrade\n"
        "The password is read from PGPASSWORD or ~/.pgpass."
    )


def _postgres_options(url: URL) -> str:
    options = {
        "--host": url.host,
        "--port": url.port,
        "--username": url.username,
        "--dbname": url.database,
    }
    return " ".join(f"{name}={shlex.quote(str(value))}" for name, value in options.items() if value)


def create_backup(database: Path, destination: Path) -> Backup:
    """Copy ``database`` to ``destination`` while the site keeps running; a reader of
    ``destination`` only ever sees a complete backup (written beside it, then renamed)."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    _refuse_the_database_itself(destination, database)
    temporary = _temporary_file_beside(destination)
    try:
        revision = _copy_database(database, temporary)
        _flush_to_disk(temporary)
        os.replace(temporary, destination)
    except sqlite3.Error as error:
        temporary.unlink(missing_ok=True)
        raise BackupError(f"Could not back up {database}: {error}.") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _flush_to_disk(destination.parent)
    return Backup(destination, revision, destination.stat().st_size)


def _refuse_the_database_itself(path: Path, database: Path) -> None:
    if path.resolve() == database.resolve():
        raise BackupError(f"{path} is the site's database itself; name another file.")


def _copy_database(database: Path, copy_path: Path) -> str:
    with closing(_connect(database)) as source, closing(_connect(copy_path)) as copy:
        # All pages in one step, so within one read transaction: a consistent snapshot that WAL
        # lets writers carry on beside. Copying in steps would start again after every write.
        source.backup(copy)
        # A single self-contained file, whatever the live database's journal mode.
        copy.execute("PRAGMA journal_mode=DELETE")
        return _checked_revision(copy)


def _temporary_file_beside(destination: Path) -> Path:
    # Same folder, so the rename is atomic (one file system). mkstemp makes it readable by its
    # owner only, as a backup full of personal data should be.
    if not destination.parent.is_dir():
        raise BackupError(f"There is no folder {destination.parent} to write the backup to.")
    handle, name = tempfile.mkstemp(
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial"
    )
    os.close(handle)
    return Path(name)


def _flush_to_disk(path: Path) -> None:
    """Make a written file, or a rename in a folder, survive a power cut."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    # The site holds the write lock briefly and often; wait for it rather than fail.
    if read_only:
        return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(path, timeout=30)


def read_backup(path: Path, migrations: ScriptDirectory) -> str:
    """The migration revision of the backup at ``path``, once it is known to be a sound SQLite
    database of this application that the migrations know."""
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    if not _has_sqlite_header(path):
        raise BackupError(f"{path} is not a SQLite database.")
    try:
        with closing(_connect(path, read_only=True)) as backup:
            revision = _checked_revision(backup)
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be read as a SQLite database: {error}.") from error
    if revision not in _known_revisions(migrations):
        raise BackupError(
            f"{path} is at migration revision {revision}, which this version of the application "
            "does not know (a backup of another application, or of a newer version)."
        )
    return revision


def _has_sqlite_header(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _checked_revision(connection: sqlite3.Connection) -> str:
    (result,) = connection.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        raise BackupError(f"The database is damaged: {result}.")
    has_versions = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if not has_versions:
        raise BackupError("The database has no alembic_version table: not one of this site's.")
    rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    if len(rows) != 1:
        raise BackupError("The database records no single migration revision.")
    return rows[0][0]


def _known_revisions(migrations: ScriptDirectory) -> set[str]:
    return {script.revision for script in migrations.walk_revisions()}


def needs_upgrade(revision: str, migrations: ScriptDirectory) -> bool:
    return revision not in migrations.get_heads()


def restore_backup(backup: Path, database: Path) -> None:
    """Replace every page of ``database`` with the backup's. Through the backup API, so that
    connections the site holds open see the restored data instead of a corrupted file."""
    _refuse_the_database_itself(backup, database)
    try:
        with (
            closing(_connect(backup, read_only=True)) as source,
            closing(_connect(database)) as target,
        ):
            source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"Could not restore {backup} into {database}: {error}.") from error
