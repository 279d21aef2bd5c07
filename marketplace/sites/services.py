from __future__ import annotations

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.sites.models import Site


def all_sites() -> list[Site]:
    return list(db.session.scalars(sa.select(Site).order_by(Site.name)))
