"""Configuration, read explicitly and typed from ``MARKETPLACE_*`` environment variables.

``Flask.config.from_prefixed_env`` is deliberately not used: it JSON-decodes values, so a numeric
secret key would become an int and break every request.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "dev-only-insecure-secret-key"
# Where links in e-mails point in development (``make run`` serves there); production names its own.
DEVELOPMENT_SERVER_NAME = "localhost:5000"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """The environment describes a configuration the site must not start with."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"MARKETPLACE_{name}")
    return default if value is None or value == "" else value


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ConfigurationError(f"MARKETPLACE_{name} must be a whole number") from error


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whichever spelling the operator gave."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_sqlite_url(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'marketplace.sqlite'}"


def _refuse_unsafe_production(secret_key: str, server_name: str | None) -> None:
    missing = []
    if secret_key == DEV_SECRET_KEY or len(secret_key) < 32:
        missing.append("MARKETPLACE_SECRET_KEY (a random string of at least 32 characters)")
    if not server_name:
        missing.append("MARKETPLACE_SERVER_NAME (the site's host name, e.g. mentoring.example.org)")
    if missing:
        raise ConfigurationError(
            "Refusing to start in production without "
            + " and ".join(missing)
            + ". For development on your own computer, set MARKETPLACE_ENV=development."
        )


def load_config(instance_path: str) -> dict:
    # Production unless development is asked for: a server started without MARKETPLACE_ENV must
    # not run on the public development key or show captured mail.
    env = _env("ENV", "production")
    if env not in {"development", "production"}:
        raise ConfigurationError("MARKETPLACE_ENV must be 'development' or 'production'")
    production = env == "production"
    secret_key = _env("SECRET_KEY", DEV_SECRET_KEY)
    server_name = _env("SERVER_NAME")
    if production:
        _refuse_unsafe_production(secret_key, server_name)
    trusted_hosts = _env("TRUSTED_HOSTS")
    remember_me_seconds = _env_int("REMEMBER_ME_DURATION", 30 * 24 * 3600)
    mail_server = _env("MAIL_SERVER")

    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            _env("DATABASE_URL") or default_sqlite_url(instance_path)
        ),
        # hide_parameters: a database error's text never carries the values it was given (a
        # name, an e-mail address), so an error log holds no personal data.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        # "json": one JSON object per log line, with the request id (marketplace/request_log.py).
        "LOG_FORMAT": _env("LOG_FORMAT", "text"),
        # A Redis outage must not lock everyone out of the site; the limits resume with Redis.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        # Per account slows guessing; per address generous enough for a classroom behind one NAT
        # (an account's failures count at most 3 times against its address: auth/attempts.py).
        "LOGIN_FAILURES_PER_IP": _env("LOGIN_FAILURES_PER_IP", "100 per 15 minutes"),
        "LOGIN_FAILURES_PER_ACCOUNT": _env("LOGIN_FAILURES_PER_ACCOUNT", "10 per 15 minutes"),
        "MESSAGES_PER_USER": _env("MESSAGES_PER_USER", "30 per hour"),
        "REGISTRATIONS_PER_IP": _env("REGISTRATIONS_PER_IP", "60 per hour"),
        # Misses only (certificates/limits.py): enough for typing mistakes, too few for guessing.
        "CERTIFICATE_LOOKUPS_PER_IP": _env("CERTIFICATE_LOOKUPS_PER_IP", "30 per hour"),
        # Refused requests and throttled logins are written to the audit log up to these many;
        # past them a burst of refusals fills no table (marketplace/authz.py, auth/routes.py).
        "REFUSALS_AUDITED_PER_PERSON": _env("REFUSALS_AUDITED_PER_PERSON", "30 per 10 minutes"),
        "THROTTLED_LOGINS_AUDITED_PER_IP": _env(
            "THROTTLED_LOGINS_AUDITED_PER_IP", "10 per 15 minutes"
        ),
        # Links in e-mails and notifications name this host (marketplace/links.py), never the
        # request's Host header; unset in development, they point to DEVELOPMENT_SERVER_NAME.
        "SERVER_NAME": server_name,
        "PREFERRED_URL_SCHEME": _env("PREFERRED_URL_SCHEME", "https" if production else "http"),
        "TRUSTED_HOSTS": [h.strip() for h in trusted_hosts.split(",")] if trusted_hosts else None,
        "PROXY_FIX_X_FOR": _env_int("PROXY_FIX_X_FOR", 0),
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A slowly typed questionnaire on a phone must not lose its token; it stays session-bound.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _env_int("MAIL_PORT", 587),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_SENDER": _env("MAIL_SENDER", "Mentoring marketplace <no-reply@localhost>"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Riga",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "BOOTSTRAP_SERVE_LOCAL": True,
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "application/javascript",
            "application/json",
        ],
        "PASSWORD_HASH_METHOD": "scrypt",
        "PASSWORD_RESET_MAX_AGE": _env_int("PASSWORD_RESET_MAX_AGE", 3600),
        "PASSWORD_RESET_REQUESTS_PER_IP": _env("PASSWORD_RESET_REQUESTS_PER_IP", "60 per hour"),
        "EMAIL_CONFIRMATION_MAX_AGE": _env_int("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600),
        "SESSION_IDLE_TIMEOUT": _env_int("SESSION_IDLE_TIMEOUT", 2 * 3600),
        "SESSION_ABSOLUTE_TIMEOUT": _env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 3600),
        "REMEMBER_ME_DURATION": remember_me_seconds,
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=remember_me_seconds),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PER_PAGE": 25,
        # Seconds a copy of a public page or a menu's to-do count is used at most (page_cache).
        "CACHE_SECONDS": _env_int("CACHE_SECONDS", 60),
        "CV_MAX_BYTES": _env_int("CV_MAX_BYTES", 2 * 1024 * 1024),
        # Refuse bigger requests before reading them; the CV check gives the kind message.
        "MAX_CONTENT_LENGTH": _env_int("MAX_UPLOAD_BYTES", 8 * 1024 * 1024),
    }
