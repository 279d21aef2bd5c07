"""``flask privacy purge``: the sites' retention, for cron."""

from datetime import UTC, datetime

import click
from flask import current_app

from marketplace.privacy import retention


@click.group(help="Privacy: anonymise participants past their site's retention.")
def privacy():
    pass


@privacy.command(help="Anonymise participants past their site's retention (safe to repeat).")
@click.option("--dry-run", is_flag=True, help="Only list who would be anonymised.")
def purge(dry_run: bool):
    purged = retention.purge(datetime.now(UTC), dry_run=dry_run)
    for person in purged:
        click.echo(
            f"{'would anonymise' if dry_run else 'anonymised'} #{person.user_id} ({person.site})"
        )
    verb = "Would anonymise" if dry_run else "Anonymised"
    click.echo(f"{verb} {len(purged)} participants.")
    if not dry_run:
        current_app.logger.info("Retention: anonymised %d participants", len(purged))
