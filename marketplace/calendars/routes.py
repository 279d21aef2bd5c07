from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.authz import public, signed_in
from marketplace.calendars import bp, services
from marketplace.links import url_for_email


@bp.get("/")
@signed_in
def settings():
    return render_template(
        "calendars/settings.html", has_feed=services.has_feed(current_user), new_link=None
    )


@bp.post("/new-link")
@signed_in
def new_link():
    token = services.new_feed_token(current_user)
    link = url_for_email("calendars.feed", token=token)
    # The link is shown once: only its hash is kept.
    return render_template("calendars/settings.html", has_feed=True, new_link=link)


@bp.post("/revoke")
@signed_in
def revoke():
    services.revoke_feed(current_user)
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("calendars.settings"))


@bp.get("/feed/<token>.ics")
@public
def feed(token: str):
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    response = Response(services.personal_calendar(user), mimetype="text/calendar")
    # Personal data behind a secret link: no shared cache may keep a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response
