"""Redirects to an address the request supplies (``next``, the referring page) stay on this site.

Every such redirect goes through ``safe_next`` or ``safe_referrer``; anything else falls back to
a page of the site's own choosing.
"""

from urllib.parse import urlsplit

from flask import request, url_for


def is_own_path(target: str | None) -> bool:
    """A path on this site: no scheme, no host, not protocol-relative (``//host``)."""
    # A control character (a newline above all) cannot go into the Location header.
    if not target or not target.isprintable() or "\\" in target:
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback: str = "main.dashboard") -> str:
    """Only follow a ``next`` that stays on this site."""
    return target if is_own_path(target) else url_for(fallback)


def safe_referrer(fallback: str) -> str:
    """The page the request came from when it is one of this site's; else ``fallback`` (a URL)."""
    referrer = request.referrer
    if not referrer or not referrer.isprintable():
        return fallback
    parts = urlsplit(referrer)
    if parts.scheme not in ("http", "https") or parts.netloc != request.host:
        return fallback
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if is_own_path(path) else fallback
