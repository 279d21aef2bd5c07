"""Error pages in the layout and the visitor's language; never a bare traceback."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.http import HTTP_STATUS_CODES

from marketplace.extensions import db
from marketplace.open_data import API_PREFIX
from marketplace.problems import NotAllowed

ERROR_TEXTS = {
    400: (_l("Something in the request was not right"), _l("Please go back and try again.")),
    403: (
        _l("You do not have access to this page"),
        _l("If you think you should, please contact your coordinator."),
    ),
    404: (
        _l("Page not found"),
        _l("The page may have moved, or the link may be incomplete."),
    ),
    405: (_l("This action is not possible here"), _l("Please go back and try again.")),
    413: (_l("The file is too large"), _l("Please choose a smaller file.")),
    429: (
        _l("Too many attempts"),
        _l("Please wait a few minutes before you try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("We have been told about it. Please try again in a few minutes."),
    ),
}


def keeps_input_on_csrf_failure(view):
    """Mark a form view whose page, shown again when its CSRF token is missing or stale, is the
    answer (marketplace/csrf.py): its form validation rejects the token again, so nothing is
    saved, and the person sees their input with a kind message instead of losing a long form.
    """
    view.keeps_input_on_csrf_failure = True
    return view


class DatabaseError(Exception):
    """A database error as it is logged: without the values of the row."""


def _without_row_values(error: Exception) -> Exception:
    """The error to log. A database error's text holds the row's values (the bound parameters
    and, on PostgreSQL, the duplicate key or failing row): personal data, kept out of the log.
    The driver's error type, the constraint and the statement say what went wrong."""
    if not isinstance(error, sa.exc.StatementError):
        return error
    driver_error = error.orig
    constraint = getattr(getattr(driver_error, "diag", None), "constraint_name", None)
    detail = getattr(driver_error, "sqlite_errorname", None) or constraint or ""
    problem = f"{type(error).__name__} ({type(driver_error).__name__} {detail})".replace(" )", ")")
    summary = DatabaseError(f"{problem} in: {error.statement}")
    return summary.with_traceback(error.__traceback__)


def render_error(code: int):
    if request.path.startswith(API_PREFIX):
        # Partner systems read JSON, whatever went wrong.
        message = HTTP_STATUS_CODES.get(code, "Error")
        return jsonify(error={"status": code, "message": message}), code
    title, explanation = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return (
        render_template("errors/error.html", code=code, title=title, explanation=explanation),
        code,
    )


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        # Raised when a request without a valid token tried to write (marketplace/csrf.py).
        db.session.rollback()
        return render_error(400)

    @app.errorhandler(NotAllowed)
    def not_allowed(_error):
        # A step refused in a view that does not answer it itself (take_step does): 403 too.
        db.session.rollback()
        return render_error(403)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, SecurityError):
            # A host name not in MARKETPLACE_TRUSTED_HOSTS: no page of this site can be built
            # for it (every link would name that host), so a plain answer.
            return current_app.response_class("Unknown host.", 400, mimetype="text/plain")
        return render_error(error.code if error.code in ERROR_TEXTS else 400)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        current_app.logger.error("Unhandled error", exc_info=_without_row_values(error))
        return render_error(500)
