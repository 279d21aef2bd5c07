"""``flask backup create PATH`` and ``flask backup restore PATH``."""

from __future__ import annotations

import functools
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app

from marketplace.backup import services
from marketplace.extensions import db

BACKUP_PATH = click.Path(dir_okay=False, path_type=Path)


def _refusals_as_errors(command):
    """Show a refusal as one line of explanation and exit non-zero, not as a traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except services.BackupError as error:
            raise click.ClickException(str(error)) from error

    return run


def _migrations() -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())


@click.group(help="Back up and restore the SQLite database (PostgreSQL: pg_dump, pg_restore).")
def backup():
    pass


@backup.command(
    "create",
    help="Write a consistent copy of the database to PATH, safe while the site runs (for cron). "
    "PATH appears only once complete; a file already there is replaced.",
)
@click.argument("path", type=BACKUP_PATH)
@_refusals_as_errors
def create(path: Path):
    database = services.database_file(db.engine.url, "create", path)
    # One step of SQLite's backup API (see services): there are no steps to show progress of.
    made = services.create_backup(database, path)
    click.echo(
        f"Backed up {database} to {made.path} ({made.size / 1_000_000:.1f} MB, "
        f"migration revision {made.revision})."
    )


@backup.command(
    "restore",
    help="Replace the whole database with the backup at PATH, after checking that it is a "
    "backup of this application. Asks first unless --yes is given.",
)
@click.argument("path", type=BACKUP_PATH)
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@_refusals_as_errors
def restore(path: Path, yes: bool):
    database = services.database_file(db.engine.url, "restore", path)
    migrations = _migrations()
    revision = services.read_backup(path, migrations)
    if database.exists() and not yes:
        click.confirm(
            f"Replace every row of {database} with the backup {path}? "
            "Whatever was written since that backup is lost.",
            abort=True,
        )
    services.restore_backup(path, database)
    # Connections pooled before the restore may hold the old schema.
    db.engine.dispose()
    click.echo(f"Restored {database} from {path} (migration revision {revision}).")
    if services.needs_upgrade(revision, migrations):
        click.echo("The backup predates the latest migrations: run 'flask --app wsgi db upgrade'.")
