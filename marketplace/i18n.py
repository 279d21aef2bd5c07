"""Languages of the site and how a request's language and time zone are chosen."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

# Each language is named in itself, so a reader finds their own language whatever is shown.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "lv": "Latviešu",
    "sv": "Svenska",
    "ru": "Русский",
    "uk": "Українська",
}
SESSION_KEY = "locale"


def select_locale() -> str:
    """The user's saved choice, then this session's, then the browser's, then the site's."""
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # a command, or text made for mail
    if current_user.is_authenticated and current_user.preferred_locale in LANGUAGES:
        return current_user.preferred_locale
    if session.get(SESSION_KEY) in LANGUAGES:
        return session[SESSION_KEY]
    browser_choice = request.accept_languages.best_match(list(LANGUAGES))
    if browser_choice:
        return browser_choice
    if current_user.is_authenticated and current_user.site is not None:
        return current_user.site.default_locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user.is_authenticated and current_user.site is not None:
        return current_user.site.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def format_site_datetime(instant: datetime, site, format: str = "medium") -> str:
    """An instant as the wall-clock time at ``site``, in the reader's language."""
    return format_datetime(instant, format, tzinfo=site.zone, locale=get_locale())
