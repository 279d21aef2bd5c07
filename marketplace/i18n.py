"""Languages of the site and how a request's language and time zone are chosen."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from babel import Locale, dates
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, get_timezone, to_user_timezone
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
# The language a page is written in, and the conventions its dates follow: English pages are read
# in Riga and Linköping, so they write day before month and a 24-hour clock, as in Britain.
FORMATTING_LOCALES = {"en": "en_GB"}
NAMED_FORMATS = ("short", "medium", "long", "full")


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


def reading_language() -> str:
    """The language code (``lv``) of the page being made, or of the message being written."""
    locale = get_locale()
    return locale.language if locale else current_app.config["BABEL_DEFAULT_LOCALE"]


def translated(text: str, translations: Mapping[str, str] | None) -> str:
    """``text`` in the reader's language when ``translations`` ({locale: text}) has it, else
    ``text`` itself as its author wrote it."""
    return (translations or {}).get(reading_language()) or text


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if current_user.is_authenticated and current_user.site is not None:
        return current_user.site.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def formatting_locale() -> Locale:
    """The locale whose conventions dates and times follow on this page."""
    locale = get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    return Locale.parse(FORMATTING_LOCALES.get(str(locale), str(locale)))


def format_date(value: date | datetime, format: str = "medium", rebase: bool = True) -> str:
    if rebase and isinstance(value, datetime):
        value = to_user_timezone(value)
    return dates.format_date(value, format, locale=formatting_locale())


def format_time(value: time | datetime, format: str = "short", rebase: bool = True) -> str:
    """A time of day, never with seconds: every named format is the short one."""
    if format in NAMED_FORMATS:
        format = "short"
    tzinfo = get_timezone() if rebase else None
    return dates.format_time(value, format, tzinfo=tzinfo, locale=formatting_locale())


def format_datetime(
    instant: datetime, format: str = "medium", rebase: bool = True, tzinfo=None
) -> str:
    """An instant as a date in ``format`` and a time without seconds (or a pattern as given)."""
    locale = formatting_locale()
    if tzinfo is None and rebase:
        tzinfo = get_timezone()
    if format not in NAMED_FORMATS:
        return dates.format_datetime(instant, format, tzinfo=tzinfo, locale=locale)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    local = instant if tzinfo is None else instant.astimezone(tzinfo)
    return (
        locale.datetime_formats[format]
        .replace("'", "")
        .replace("{0}", dates.format_time(local, "short", locale=locale))
        .replace("{1}", dates.format_date(local, format, locale=locale))
    )


def register_formatters(app: Flask) -> None:
    """Templates format dates with the functions above rather than Flask-Babel's own."""
    app.jinja_env.filters.update(
        dateformat=format_date, timeformat=format_time, datetimeformat=format_datetime
    )


def format_site_datetime(instant: datetime, site, format: str = "medium") -> str:
    """An instant as the wall-clock time at ``site``, in the reader's language."""
    return format_datetime(instant, format, tzinfo=site.zone)
