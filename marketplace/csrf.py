"""A post whose CSRF token is missing, forged or stale.

The token is checked by the one before-request hook (marketplace/authz.py), after the access
rule: a visitor the rule refuses is answered 403 or sent to log in, token or not. For a visitor
it lets in, a failed check makes the rest of the request read-only. The view still runs, so that
its own checks on the object answer 403 or 404 exactly as they would with a good token; a form
view shows the form again with what was typed and a kind message (the form's own token check
fails, so nothing is saved); any statement that would write to the database is refused, which
answers 400; and whatever the view put in the session is undone (a new CSRF token apart, which
the form shown again needs). No limit is counted for such a request.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import refresh
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from marketplace.errors import render_error
from marketplace.extensions import csrf, db

WRITE = re.compile(
    r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE|MERGE|UPSERT|TRUNCATE|CREATE|ALTER|DROP)\b",
    re.IGNORECASE,
)


def token_is_valid() -> bool:
    """Check the request's CSRF token; on failure the request goes on read-only."""
    if not current_app.config["WTF_CSRF_ENABLED"]:
        return True
    # Load the person (which may refresh their session's last-seen time) before writes stop.
    current_user.is_authenticated  # noqa: B018
    try:
        csrf.protect()
    except CSRFError as error:
        g.unsent_form = error.description
        g.session_before = dict(session)
        return False
    return True


def unsent() -> bool:
    return has_request_context() and g.get("unsent_form") is not None


def _refuse_writes(_connection, _cursor, statement, *_args):
    if unsent() and WRITE.match(statement):
        raise CSRFError(g.unsent_form)


def answer_unsent_form(response):
    """What a read-only request answers when its view did not refuse it.

    A form view marked ``keeps_input_on_csrf_failure`` keeps its page (the form with the
    person's input and the kind message) with status 400; anything else that looks like
    success becomes the plain 400 page, and nothing it may have flashed is shown later.
    """
    if not unsent():
        return response
    _undo_session_changes()
    if response.status_code >= 400:
        return response
    view = current_app.view_functions.get(request.endpoint or "")
    if response.status_code == 200 and getattr(view, "keeps_input_on_csrf_failure", False):
        response.status_code = 400
        return response
    return current_app.make_response(render_error(400))


def _undo_session_changes() -> None:
    token = session.get("csrf_token")
    session.clear()
    session.update(g.session_before)
    if token is not None:
        session["csrf_token"] = token
    refresh()  # the page is shown in the language the session had


def register(app: Flask) -> None:
    # The hook checks the token itself, after the access rule; Flask-WTF's own hook would run
    # before it.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.after_request(answer_unsent_form)
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", _refuse_writes)
