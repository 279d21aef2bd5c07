"""Public pages kept, for a minute, for visitors who are not signed in.

The home page, the postings list and a posting's page are what most visitors load, and every
visitor who is not signed in gets the same page for the same address, language and time zone.
Rendering one takes milliseconds of Python that a copy saves. Three rules keep the copies right:

- A copy is made for one version of the public data (``PublicPagesVersion``). Every change to a
  posting, its languages, an organisation or a site, through the ORM or by a bulk UPDATE or
  DELETE, raises the version in the same transaction, so the next request renders anew, on every
  app server, the moment the change is committed.
- A copy lives at most ``PUBLIC_PAGE_CACHE_SECONDS`` (60 by default; 0 turns caching off), so
  what depends on the date (a deadline passing at midnight) is at most that late.
- The page's form token is taken out of the copy and the visitor's own put back in. Anyone
  signed in, a visitor with a message waiting to be shown, or an answer other than 200 gets a
  page of their own.

Copies are kept per app server process, the most recent few hundred.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from functools import wraps

import sqlalchemy as sa
from flask import Flask, current_app, make_response, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from marketplace.extensions import db
from marketplace.organisations.models import Organisation
from marketplace.page_cache.models import PublicPagesVersion
from marketplace.postings.models import Posting, PostingLanguage
from marketplace.sites.models import Site, SiteHoursPlan

# What the cached pages show. A change to any of them makes every copy stale.
SHOWN_ON_PUBLIC_PAGES = (Posting, PostingLanguage, Organisation, Site, SiteHoursPlan)
TOKEN_PLACEHOLDER = "\x00form-token\x00"  # cannot occur in HTML the site renders
COPIES_KEPT = 500


class Copies:
    """The most recently used copies of one app's pages, the oldest dropped first."""

    def __init__(self, size: int = COPIES_KEPT):
        self.size = size
        self.entries: OrderedDict[tuple, tuple[str, float]] = OrderedDict()

    def get(self, key: tuple) -> str | None:
        html, expires = self.entries.get(key, (None, 0.0))
        if html is None or expires <= time.monotonic():
            return None
        self.entries.move_to_end(key)
        return html

    def put(self, key: tuple, html: str, seconds: int) -> None:
        self.entries[key] = (html, time.monotonic() + seconds)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


def current_version() -> int:
    return db.session.scalar(sa.select(PublicPagesVersion.version)) or 0


def raise_version(session) -> None:
    """Raise the version inside ``session``'s transaction (made if missing, e.g. after a test
    emptied every table)."""
    raised = session.execute(
        sa.update(PublicPagesVersion).values(version=PublicPagesVersion.version + 1),
        execution_options={"synchronize_session": False},
    )
    if raised.rowcount == 0:
        session.execute(sa.insert(PublicPagesVersion).values(id=1, version=1))


def _changes_public_data(session, _flush_context, _instances) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, SHOWN_ON_PUBLIC_PAGES) for row in changed):
        raise_version(session)


def _bulk_change_of_public_data(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and any(
        mapper.class_ in SHOWN_ON_PUBLIC_PAGES for mapper in state.all_mappers
    ):
        raise_version(state.session)


def for_visitors(view):
    """Serve the view's page from a copy to visitors who are not signed in (see above)."""

    @wraps(view)
    def serve(*args, **kwargs):
        seconds = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
        if not seconds or current_user.is_authenticated or session.get("_flashes"):
            return view(*args, **kwargs)
        copies: Copies = current_app.extensions["public_page_copies"]
        key = (
            request.full_path,
            str(get_locale()),
            str(get_timezone()),
            current_version(),
        )
        html = copies.get(key)
        if html is None:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.mimetype != "text/html":
                return response
            html = response.get_data(as_text=True).replace(generate_csrf(), TOKEN_PLACEHOLDER)
            copies.put(key, html, seconds)
        return current_app.response_class(
            html.replace(TOKEN_PLACEHOLDER, generate_csrf()), mimetype="text/html"
        )

    return serve


def init_app(app: Flask) -> None:
    app.extensions["public_page_copies"] = Copies()
    if not getattr(init_app, "listening", False):
        # On the session class, once: every app's sessions raise the version.
        sa.event.listen(sa.orm.Session, "before_flush", _changes_public_data)
        sa.event.listen(sa.orm.Session, "do_orm_execute", _bulk_change_of_public_data)
        init_app.listening = True
