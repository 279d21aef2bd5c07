from datetime import UTC, datetime

import sqlalchemy as sa
from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import page_cache
from marketplace.accounts.roles import ROLE_DESCRIPTIONS, Role
from marketplace.authz import public, signed_in
from marketplace.extensions import db
from marketplace.i18n import LANGUAGES, SESSION_KEY
from marketplace.main import bp
from marketplace.main.todo import todo_items
from marketplace.recommendations import services as recommendations
from marketplace.redirects import safe_next
from marketplace.sites.services import all_sites

# The home page shows the participant's few best postings; the postings list has the rest.
FOR_YOU = 5


@bp.get("/")
@public
@page_cache.for_visitors
def home():
    return render_template("main/home.html", sites=all_sites(), now=datetime.now(UTC))


@bp.get("/dashboard")
@signed_in
def dashboard():
    grants = sorted(current_user.role_grants, key=lambda g: (g.role.value, g.site_id or 0))
    return render_template(
        "main/dashboard.html",
        grants=grants,
        role_descriptions=ROLE_DESCRIPTIONS,
        todo=todo_items(current_user),
        suggestion=_suggestion(),
        for_you=recommendations.postings_for(current_user, all_sites(), FOR_YOU)
        if current_user.has_role(Role.PARTICIPANT)
        else None,
    )


def _suggestion() -> tuple[str, str] | None:
    """A sensible next step for a person with nothing to do."""
    if current_user.has_role(Role.COORDINATOR, Role.SUPER_ADMIN):
        return _("Open the review queue"), url_for("review.queue")
    if current_user.has_role(Role.PARTICIPANT):
        return _("Browse postings and apply."), url_for("postings.index")
    if current_user.has_role(Role.EMPLOYER_STAFF):
        return _("Your organisations"), url_for("organisations.mine")
    if current_user.has_role(Role.MENTOR):
        return _("Your mentoring"), url_for("mentors.mine")
    if current_user.has_role(Role.PARTNER):
        return _("Read the programme's indicators"), url_for("indicators.dashboard")
    return None


@bp.post("/language")
@public
def set_language():
    """Remember the chosen language: on the account when signed in, else in the session."""
    choice = request.form.get("language", "")
    if choice in LANGUAGES:
        session[SESSION_KEY] = choice
        if current_user.is_authenticated:
            current_user.preferred_locale = choice
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), fallback="main.home"))


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return {"status": "error", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}
