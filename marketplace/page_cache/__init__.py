"""Copies of what many requests compute alike, each valid for one version of the data.

- Public pages for visitors who are not signed in (``for_visitors``): the home page, the
  postings list and a posting's page are what most visitors load, and every visitor who is not
  signed in gets the same page for the same address, language and time zone. The page's form
  token is taken out of the copy and the visitor's own put back in. Anyone signed in, a visitor
  with a message waiting to be shown, and any answer but a 200 page get a page of their own.
- The count of things to do in each signed-in person's menu (main/todo.py), which a
  coordinator's menu otherwise adds up from a dozen queries on every page.
- The figures of an indicators report (indicators/services.py), which take a second or two to
  add up over a programme of 100,000 participants.

Three rules keep the copies right:

- A copy is made for one version of the data it shows (versions.py): public pages for the
  version of postings, organisations and sites, the to-do count and indicators for the version
  of everything. A change raises its version in the same transaction, so the next request after
  the commit computes anew, on every app server.
- A copy lives at most ``CACHE_SECONDS`` (60 by default; 0 turns copies off), and never past the
  hour it was made in, so what depends on the clock alone (a deadline passing at a site's
  midnight) is at most a minute late.
- Copies are kept per app server process, the most recently used few hundred of each kind.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from functools import wraps

from flask import Flask, current_app, make_response, request, session
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from marketplace.page_cache import versions

TOKEN_PLACEHOLDER = "\x00form-token\x00"  # cannot occur in HTML the site renders
COPIES_KEPT = 500


class Copies:
    """The most recently used copies of one kind, the oldest dropped first. A lock keeps the
    order consistent when a worker serves requests on several threads."""

    def __init__(self, size: int = COPIES_KEPT):
        self.size = size
        self.entries: OrderedDict[Hashable, tuple[object, float]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        with self.lock:
            value, expires = self.entries.get(key, (None, 0.0))
            if value is None or expires <= time.monotonic():
                return None
            self.entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: object, seconds: int) -> None:
        with self.lock:
            self.entries[key] = (value, time.monotonic() + seconds)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


def remembered(kind: str, key: tuple, version: str, compute: Callable[[], object]) -> object:
    """``compute()``, or its copy made for ``key`` at the current ``version`` of the data."""
    seconds = current_app.config["CACHE_SECONDS"]
    if not seconds:
        return compute()
    copies: Copies = current_app.extensions["copies"][kind]
    key = (*key, versions.current(version), datetime.now(UTC).strftime("%Y-%m-%d %H"))
    value = copies.get(key)
    if value is None:
        value = compute()
        copies.put(key, value, seconds)
    return value


class NotCopied(Exception):
    """A response that is nobody else's page: sent as it is."""

    def __init__(self, response):
        self.response = response


def for_visitors(view):
    """Serve the view's page from a copy to visitors who are not signed in (see above)."""

    @wraps(view)
    def serve(*args, **kwargs):
        if current_user.is_authenticated or session.get("_flashes"):
            return view(*args, **kwargs)

        def render() -> str:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.mimetype != "text/html":
                raise NotCopied(response)
            return response.get_data(as_text=True).replace(generate_csrf(), TOKEN_PLACEHOLDER)

        key = (request.full_path, str(get_locale()), str(get_timezone()))
        try:
            html = remembered("public pages", key, versions.PUBLIC, render)
        except NotCopied as not_copied:
            return not_copied.response
        return current_app.response_class(
            html.replace(TOKEN_PLACEHOLDER, generate_csrf()), mimetype="text/html"
        )

    return serve


def init_app(app: Flask) -> None:
    app.extensions["copies"] = {
        "public pages": Copies(),
        "to-do counts": Copies(),
        "indicators": Copies(),
    }
    versions.listen()
