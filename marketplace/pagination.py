from __future__ import annotations

from flask import current_app

from marketplace.extensions import db


def paginate(query, page: int, per_page: int | None = None):
    """A page of ``query`` that never raises for a page number out of range."""
    return db.paginate(
        query,
        page=max(page, 1),
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
        count=True,
    )
