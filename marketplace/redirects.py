from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, fallback: str = "main.dashboard") -> str:
    """Only follow a ``next`` that stays on this site."""
    # A control character (a newline above all) cannot go into the Location header.
    if target and target.isprintable() and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for(fallback)
