"""Mentoring-and-placement marketplace for integration programmes."""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta
from pathlib import Path

from flask import Flask, has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from marketplace import csrf as csrf_check
from marketplace import page_cache, request_log
from marketplace.addresses import with_city
from marketplace.auth import sessions
from marketplace.auth.forms import LogoutForm
from marketplace.authz import audit_refusal, guard_request
from marketplace.cli import register_cli
from marketplace.config import load_config
from marketplace.db import configure_sqlite_engine
from marketplace.errors import register_error_handlers
from marketplace.extensions import (
    babel,
    bootstrap,
    compress,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
)
from marketplace.forms import LARGEST_ID
from marketplace.i18n import (
    LANGUAGES,
    format_site_datetime,
    register_formatters,
    select_locale,
    select_timezone,
)
from marketplace.languages import country_name, language_name
from marketplace.main.todo import todo_count
from marketplace.navigation import visible_menu
from marketplace.notifications.services import unread_count
from marketplace.participants.services import participant_age
from marketplace.security import register_security_headers
from marketplace.statuses import status_colour, status_label

MIGRATIONS_DIRECTORY = str(Path(__file__).resolve().parent.parent / "migrations")


class RowIdConverter(IntegerConverter):
    """``<int:…>`` in every route: a number larger than any row id is no page (404), rather than
    an overflow in the database (500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", instance_relative_config=True)
    app.url_map.converters["int"] = RowIdConverter
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    request_log.register(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite_engine(db.engine)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    register_formatters(app)
    limiter.init_app(app)
    # Flask-Limiter reports each exceeded limit at INFO with its key, a visitor's IP address.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    compress.init_app(app)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    page_cache.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # The cookie holds a session token; a deactivated account's sessions stop working at once.
    login_manager.user_loader(sessions.load)


# Each feature's routes module, imported only here: importing a feature's models or services
# never pulls in every view (and with them import cycles between features).
FEATURES = (
    "main", "auth", "accounts", "postings", "organisations", "review", "notifications",
    "mentors", "participants", "applications", "placements", "training", "events", "calendars",
    "conversations", "plans", "certificates", "recommendations", "matching",
    "questionnaires", "admin", "sites",
    "audit", "mail", "indicators", "open_data", "privacy",
    "two_factor",
)  # fmt: skip


def register_blueprints(app: Flask) -> None:
    for feature in FEATURES:
        routes = importlib.import_module(f"marketplace.{feature}.routes")
        app.register_blueprint(routes.bp)


def register_request_hooks(app: Flask) -> None:
    app.before_request(guard_request)
    app.after_request(audit_refusal)
    # After-request hooks run last-registered first: the answer to a post without a valid token
    # is settled before the security headers are added to it.
    register_security_headers(app)
    csrf_check.register(app)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        language_name=language_name,
        timedelta=timedelta,
        country_name=country_name,
        age=participant_age,
        format_site_datetime=format_site_datetime,
        status_label=status_label,
        status_colour=status_colour,
        with_city=with_city,
    )

    @app.context_processor
    def layout_context():
        if not has_request_context():
            return {}  # e-mails rendered by a command have no layout to fill
        return {
            "languages": LANGUAGES,
            "current_locale": str(get_locale()),
            "menu": visible_menu(),
            "unread_notifications": (
                unread_count(current_user) if current_user.is_authenticated else 0
            ),
            # Called by the menu only when it shows "Dashboard"; counted once per request.
            "todo_count": lambda: todo_count(current_user) if current_user.is_authenticated else 0,
            # Not from the request: an error page for a too-large body must not read it again.
            "logout_form": LogoutForm(formdata=None),
            "request_path": request.full_path.rstrip("?"),
        }
