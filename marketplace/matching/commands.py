"""``flask matching run``: a round's draft from the shell, or only its figures (--dry-run)."""

from __future__ import annotations

import click
import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.matching import drafts
from marketplace.matching.models import MatchingRound, RoundStatus
from marketplace.problems import Refused
from marketplace.sites.models import Site


@click.group(help="Matching rounds.")
def matching():
    pass


def _round_of(site: Site, round_id: int | None) -> MatchingRound:
    """The given round of the site, or its only round open for ranking or in draft."""
    query = sa.select(MatchingRound).where(MatchingRound.site_id == site.id)
    if round_id is not None:
        found = db.session.scalar(query.where(MatchingRound.id == round_id))
        if found is None:
            raise click.ClickException(f"Site {site.slug} has no round {round_id}.")
        return found
    active = list(
        db.session.scalars(
            query.where(MatchingRound.status.in_([RoundStatus.OPEN, RoundStatus.DRAFT]))
        )
    )
    if len(active) != 1:
        ids = ", ".join(str(r.id) for r in active) or "none"
        raise click.ClickException(
            f"Site {site.slug} has {len(active)} rounds open or in draft ({ids}): "
            "name one with --round."
        )
    return active[0]


@matching.command(
    "run",
    help="Run the engine on a site's round (open for ranking or in draft) and keep the draft "
    "for the coordinator to review; --dry-run only prints what it would propose.",
)
@click.option("--site", "slug", required=True, help="The site's short name, e.g. riga.")
@click.option("--round", "round_id", type=int, help="The round; needed when the site has several.")
@click.option("--dry-run", is_flag=True, help="Compute and print the summary; save nothing.")
def run(slug: str, round_id: int | None, dry_run: bool):
    site = db.session.scalar(sa.select(Site).where(Site.slug == slug))
    if site is None:
        raise click.ClickException(f"No site {slug}.")
    round_ = _round_of(site, round_id)
    try:
        draft = drafts.compute(round_) if dry_run else drafts.run(None, round_)
    except Refused as refused:
        db.session.rollback()
        raise click.ClickException(refused.message) from refused
    if dry_run:
        db.session.rollback()
    participants = len(draft.inputs.participants)
    click.echo(
        f"Round {round_.id} at {site.slug}: {participants} participants, "
        f"{len(draft.inputs.capacities)} postings, {draft.matched} matched, "
        f"{participants - draft.matched} unmatched, in {draft.seconds:.3f} s"
        + (" (dry run: nothing saved)." if dry_run else "; the draft is saved.")
    )
