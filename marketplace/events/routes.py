from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, roles_required, signed_in
from marketplace.calendars.services import event_calendar
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.events import bp, services
from marketplace.events.forms import EventForm
from marketplace.events.models import Event
from marketplace.forms import options
from marketplace.organisations.services import is_site_coordinator
from marketplace.pagination import paginate
from marketplace.problems import full_page, take_step
from marketplace.sites.services import all_sites


@bp.get("/")
@signed_in
def index():
    page = paginate(services.upcoming_for(current_user), request.args.get("page", 1, type=int))
    return render_template("events/index.html", page=page, mine=services.signed_up(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
@keeps_input_on_csrf_failure
def new():
    sites = coordinated_sites(current_user)
    my_sites = [s for s in all_sites() if sites is None or s.id in sites]
    form = EventForm()
    form.site.choices = options((s.id, s.name) for s in my_sites)
    if form.validate_on_submit():
        site = next(s for s in my_sites if s.id == form.site.data)
        values = {
            "kind": form.kind.data,
            "title": form.title.data.strip(),
            "title_translations": form.title_translations(),
            "description": (form.description.data or "").strip(),
            "venue": form.venue.data.strip(),
            # Entered as wall-clock times at the site; stored as instants.
            "starts_at": datetime.combine(form.day.data, form.starts.data, tzinfo=site.zone),
            "ends_at": datetime.combine(form.day.data, form.ends.data, tzinfo=site.zone),
            "capacity": form.capacity.data,
            "public": form.public.data,
        }
        event = services.create(current_user, site.id, values)
        flash(_("The event is published."), "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/new.html", form=form), (400 if form.errors else 200)


def _visible_or_404(event_id: int) -> Event:
    event = get_or_404(Event, event_id)
    if not (
        services.may_sign_up(current_user, event)
        or is_site_coordinator(current_user, event.site_id)
    ):
        abort(404)
    return event


@bp.get("/<int:event_id>")
@signed_in
def show(event_id: int):
    event = _visible_or_404(event_id)
    return render_template(
        "events/show.html",
        event=event,
        signed_up=event.id in services.signed_up(current_user),
        may_sign_up=services.may_sign_up(current_user, event),
        is_coordinator=is_site_coordinator(current_user, event.site_id),
    )


@bp.post("/<int:event_id>/sign-up")
@signed_in
def sign_up(event_id: int):
    event = _visible_or_404(event_id)
    return take_step(
        lambda: services.sign_up(current_user, event),
        success=_("You are signed up. See you there!"),
        back=url_for("events.show", event_id=event.id),
        on_full=full_page("events/full.html", event=event),
    )


@bp.post("/<int:event_id>/cancel")
@signed_in
def cancel(event_id: int):
    event = _visible_or_404(event_id)
    services.cancel(current_user, event)
    flash(_("Your place is given up. Someone else can take it."), "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.post("/<int:event_id>/attendance")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def attendance(event_id: int):
    event = _visible_or_404(event_id)
    # isdecimal(), not isdigit(): int() refuses "²", which isdigit() accepts.
    present = {int(v) for v in request.form.getlist("present") if v.isdecimal()}
    return take_step(
        lambda: services.record_attendance(current_user, event, present),
        success=_("Attendance is saved."),
        back=url_for("events.show", event_id=event.id),
    )


@bp.get("/<int:event_id>/calendar.ics")
@signed_in
def ics(event_id: int):
    event = _visible_or_404(event_id)
    return Response(
        event_calendar(event),
        mimetype="text/calendar",
        headers={"Content-Disposition": f"attachment; filename=event-{event.id}.ics"},
    )
