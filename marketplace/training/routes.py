from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, roles_required
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.extensions import db
from marketplace.forms import options, posted_id
from marketplace.pagination import paginate
from marketplace.participants.models import ParticipantProfile
from marketplace.problems import take_step
from marketplace.sites.models import Site
from marketplace.sites.services import all_sites
from marketplace.training import bp, services
from marketplace.training.forms import TrainingSessionForm
from marketplace.training.models import TrainingSession

COORDINATORS = (Role.COORDINATOR, Role.SUPER_ADMIN)
# Participants found by the enrolment search, at most; more words find fewer.
CANDIDATES_SHOWN = 10
FIELDS = ("category", "title", "held_on", "starts_at", "minutes", "trainer", "capacity")


def _my_sites() -> list[Site]:
    sites = coordinated_sites(current_user)
    return [s for s in all_sites() if sites is None or s.id in sites]


@bp.route("/", methods=["GET", "POST"])
@roles_required(*COORDINATORS)
@keeps_input_on_csrf_failure
def index():
    sites = _my_sites()
    form = TrainingSessionForm()
    form.site.choices = options((s.id, s.name) for s in sites)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in FIELDS}
        values["title"], values["trainer"] = values["title"].strip(), values["trainer"].strip()
        values["title_translations"] = form.title_translations()
        site = next(s for s in sites if s.id == form.site.data)
        session = services.create(current_user, site, values)
        flash(_("The training session is added."), "success")
        return redirect(url_for("training.show", session_id=session.id))
    page = paginate(
        services.sessions_of(coordinated_sites(current_user)), request.args.get("page", 1, type=int)
    )
    return render_template(
        "training/index.html",
        form=form,
        page=page,
        plans=[(site, services.hours_against_plan(site)) for site in sites],
    ), (400 if form.errors else 200)


def _session_or_404(session_id: int) -> TrainingSession:
    session = get_or_404(TrainingSession, session_id)
    sites = coordinated_sites(current_user)
    if sites is not None and session.site_id not in sites:
        abort(404)
    return session


@bp.get("/<int:session_id>")
@roles_required(*COORDINATORS)
def show(session_id: int):
    session = _session_or_404(session_id)
    who = (request.args.get("who") or "").strip()[:120]
    # One more than shown, to tell whether the list was cut short.
    candidates = services.enrollable(session, who, CANDIDATES_SHOWN + 1) if who else []
    return render_template(
        "training/show.html",
        session=session,
        who=who,
        candidates=candidates[:CANDIDATES_SHOWN],
        more_candidates=len(candidates) > CANDIDATES_SHOWN,
    )


@bp.post("/<int:session_id>/enrol")
@roles_required(*COORDINATORS)
def enrol(session_id: int):
    session = _session_or_404(session_id)
    profile = db.session.get(ParticipantProfile, posted_id("participant") or 0)
    if profile is None:
        flash(_("Please choose a participant."), "warning")
        return redirect(url_for("training.show", session_id=session.id))
    return take_step(
        lambda: services.enrol(current_user, session, profile),
        success=_("Enrolled."),
        back=url_for("training.show", session_id=session.id),
    )


@bp.post("/<int:session_id>/attendance")
@roles_required(*COORDINATORS)
def attendance(session_id: int):
    session = _session_or_404(session_id)
    # isdecimal(), not isdigit(): int() refuses "²", which isdigit() accepts.
    present = {int(value) for value in request.form.getlist("present") if value.isdecimal()}
    services.record_attendance(current_user, session, present)
    flash(_("Attendance is saved."), "success")
    return redirect(url_for("training.show", session_id=session.id))
