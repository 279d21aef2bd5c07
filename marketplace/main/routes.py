from datetime import UTC, datetime

import sqlalchemy as sa
from flask import redirect, render_template, request, session
from flask_login import current_user

from marketplace.accounts.roles import ROLE_DESCRIPTIONS, Role
from marketplace.authz import public, signed_in
from marketplace.extensions import db
from marketplace.i18n import LANGUAGES, SESSION_KEY
from marketplace.main import bp
from marketplace.participants import services as participants
from marketplace.redirects import safe_next
from marketplace.review import services as review
from marketplace.review.services import approvals_waiting
from marketplace.sites.services import all_sites


@bp.get("/")
@public
def home():
    return render_template("main/home.html", sites=all_sites(), now=datetime.now(UTC))


@bp.get("/dashboard")
@signed_in
def dashboard():
    grants = sorted(current_user.role_grants, key=lambda g: (g.role.value, g.site_id or 0))
    review_counts = (
        review.counts(current_user) | {"approvals": approvals_waiting(current_user)}
        if current_user.has_role(Role.COORDINATOR, Role.SUPER_ADMIN)
        else None
    )
    return render_template(
        "main/dashboard.html",
        grants=grants,
        role_descriptions=ROLE_DESCRIPTIONS,
        review_counts=review_counts,
        next_steps=participants.next_steps(current_user)
        if current_user.has_role(Role.PARTICIPANT)
        else [],
    )


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
