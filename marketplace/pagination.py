from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import SelectPagination

from marketplace.extensions import db
from marketplace.forms import LARGEST_ID

# Searches over the whole programme count their matches up to this many and then say "more
# than": counting every one of 100,000 people to print a number nobody reads costs more than
# the page itself. Forty pages are more than anyone pages through; narrower words help instead.
COUNT_UP_TO = 1000


class BoundedPagination(SelectPagination):
    """A page whose ``total`` stops at ``count_up_to``; ``more`` says whether there are more."""

    def __init__(self, *args, count_up_to: int, **kwargs):
        self.count_up_to = count_up_to
        self.more = False
        super().__init__(*args, **kwargs)

    def _query_count(self) -> int:
        select = self._query_args["select"].options(sa.orm.lazyload("*")).order_by(None)
        bounded = select.limit(self.count_up_to + 1).subquery()
        found = self._query_args["session"].scalar(sa.select(sa.func.count()).select_from(bounded))
        self.more = found > self.count_up_to
        return min(found, self.count_up_to)


def paginate(query, page: int, per_page: int | None = None, *, bounded: bool = False):
    """A page of ``query`` that never raises for a page number out of range; ``bounded``, its
    rows are counted only up to COUNT_UP_TO (``page.more`` tells whether there are more)."""
    arguments = {
        "page": min(max(page, 1), LARGEST_ID),  # a huge number would overflow the offset
        "per_page": per_page or current_app.config["PER_PAGE"],
        "error_out": False,
        "count": True,
    }
    if not bounded:
        return db.paginate(query, **arguments)
    return BoundedPagination(
        select=query, session=db.session(), count_up_to=COUNT_UP_TO, **arguments
    )
