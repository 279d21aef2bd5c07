from __future__ import annotations

from flask import current_app

from marketplace.extensions import db
from marketplace.forms import LARGEST_ID


def paginate(query, page: int, per_page: int | None = None):
    """A page of ``query`` that never raises for a page number out of range."""
    return db.paginate(
        query,
        page=min(max(page, 1), LARGEST_ID),  # a huge number would overflow the offset
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
        count=True,
    )
