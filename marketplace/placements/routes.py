from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, roles_required, signed_in
from marketplace.conversations import services as conversations
from marketplace.extensions import db
from marketplace.pagination import paginate
from marketplace.placements import bp, services
from marketplace.placements.forms import DisputeForm, EndForm, OutcomeForm, SessionForm
from marketplace.placements.models import MentoringSession, Outcome, Placement
from marketplace.problems import Problem, take_step
from marketplace.workflow.services import history


def _visible_or_404(placement_id: int) -> Placement:
    placement = get_or_404(Placement, placement_id)
    if not services.can_view(current_user, placement):
        abort(404)
    return placement


@bp.get("/")
@signed_in
def index():
    page = paginate(services.visible_to(current_user), request.args.get("page", 1, type=int))
    return render_template("placements/index.html", page=page)


def _render(placement: Placement, session_form=None, status: int = 200, outcome_form=None):
    if outcome_form is None:
        outcome_form = OutcomeForm(formdata=None, obj=placement)
        if placement.outcome:
            outcome_form.outcome.data = placement.outcome.value
            outcome_form.offer_accepted.data = bool(placement.job_offer_accepted)
    return (
        render_template(
            "placements/show.html",
            placement=placement,
            hours=services.hours(placement),
            actions=services.WORKFLOW.available(current_user, placement),
            session_actions=lambda session: services.session_actions(current_user, session),
            manages=services.manages(current_user, placement),
            session_form=session_form or SessionForm(formdata=None),
            dispute_form=DisputeForm(),
            end_form=EndForm(),
            outcome_form=outcome_form,
            application_history=history(placement.application),
            history=history(placement),
            **conversations.view(current_user, conversations.Thread("placement", placement)),
        ),
        status,
    )


@bp.get("/<int:placement_id>")
@signed_in
def show(placement_id: int):
    return _render(_visible_or_404(placement_id))


def _done(placement: Placement, message: str):
    flash(message, "success")
    return redirect(url_for("placements.show", placement_id=placement.id))


@bp.post("/<int:placement_id>/sessions")
@roles_required(Role.MENTOR)
def log_session(placement_id: int):
    placement = _visible_or_404(placement_id)
    if not services.WORKFLOW.is_theirs(current_user, placement, "log_session"):
        abort(403)  # before reading the form, so others learn nothing from its messages
    form = SessionForm()
    if form.validate_on_submit():
        try:
            services.log_session(
                current_user,
                placement,
                form.held_on.data,
                form.minutes.data,
                form.topic.data,
                form.notes.data or "",
            )
        except Problem as problem:
            db.session.rollback()
            field = getattr(problem, "field", "")
            if not field:
                flash(problem.message, "warning")
                return redirect(url_for("placements.show", placement_id=placement.id))
            getattr(form, field).errors.append(problem.message)
        else:
            return _done(placement, _("The session is logged. The participant will confirm it."))
    return _render(placement, form, 400)


def _session_or_404(session_id: int) -> MentoringSession:
    session = get_or_404(MentoringSession, session_id)
    if not services.can_view(current_user, session.placement):
        abort(404)
    return session


@bp.post("/sessions/<int:session_id>/confirm")
@signed_in
def confirm_session(session_id: int):
    session = _session_or_404(session_id)
    return _answer(session, True, "")


@bp.post("/sessions/<int:session_id>/dispute")
@signed_in
def dispute_session(session_id: int):
    session = _session_or_404(session_id)
    if not services.SESSION_WORKFLOW.is_theirs(current_user, session, "dispute"):
        abort(403)  # before reading the form, so others learn nothing from its messages
    form = DisputeForm()
    if not form.validate_on_submit():  # too long, or a character not allowed
        for error in form.note.errors:
            flash(error, "warning")
        return redirect(url_for("placements.show", placement_id=session.placement_id))
    return _answer(session, False, form.note.data or "")


def _answer(session: MentoringSession, confirm: bool, note: str):
    return take_step(
        lambda: services.answer_session(current_user, session, confirm, note),
        success=_("Thank you. The session is confirmed.")
        if confirm
        else _("Thank you. The coordinator will look at it."),
        back=url_for("placements.show", placement_id=session.placement_id),
    )


def _confirmed() -> bool:
    """Whether the person pressed the confirmation page's button (see _macros/confirm.html)."""
    return request.method == "POST" and request.form.get("confirmed") == "yes"


@bp.route("/<int:placement_id>/end/<how>", methods=["GET", "POST"])
@signed_in
def end(placement_id: int, how: str):
    """Ending cannot be undone: the person first sees what it does, then confirms."""
    placement = _visible_or_404(placement_id)
    if how not in {"completed", "early"}:
        abort(404)
    step = "complete" if how == "completed" else "end_early"
    if not services.WORKFLOW.is_theirs(current_user, placement, step):
        abort(403)  # before reading the form, so others learn nothing from its messages
    back = url_for("placements.show", placement_id=placement.id)
    form = EndForm()
    if request.method == "POST" and not form.validate_on_submit():
        for error in form.reason.errors:  # too long, or a character not allowed
            flash(error, "warning")
        return redirect(back)
    if not services.WORKFLOW.may(current_user, placement, step):
        flash(_("This is not possible in the current status."), "warning")
        return redirect(back)
    early = how == "early"
    if early and _confirmed() and not (form.reason.data or "").strip():
        form.reason.errors.append(_("Please say why the placement ended early."))
    elif _confirmed():
        return take_step(
            lambda: services.end(current_user, placement, not early, form.reason.data or ""),
            success=_("The placement is completed. You can now record its outcome.")
            if not early
            else _("The placement has ended. You can now record its outcome."),
            back=back,
        )
    return (
        render_template("placements/confirm_end.html", placement=placement, early=early, form=form),
        400 if form.reason.errors else 200,
    )


@bp.post("/<int:placement_id>/outcome")
@signed_in
def outcome(placement_id: int):
    """Recording an outcome is reported to funders: the person confirms what they chose."""
    placement = _visible_or_404(placement_id)
    if not services.manages(current_user, placement):
        abort(403)  # before reading the form, so others learn nothing from its messages
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _render(placement, status=400, outcome_form=form)
    chosen = Outcome(form.outcome.data)
    problem = services.outcome_problem(placement, chosen, form.outcome_date.data)
    if problem and problem.field:
        getattr(form, problem.field).errors.append(problem.message)
        return _render(placement, status=400, outcome_form=form)
    if problem:
        flash(problem.message, "warning")
        return redirect(url_for("placements.show", placement_id=placement.id))
    if not _confirmed():
        return render_template(
            "placements/confirm_outcome.html", placement=placement, form=form, outcome=chosen
        )
    return take_step(
        lambda: services.record_outcome(
            current_user, placement, chosen, form.outcome_date.data, form.offer_accepted.data
        ),
        success=_("The outcome is recorded."),
        back=url_for("placements.show", placement_id=placement.id),
    )


@bp.get("/sessions/to-check")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def sessions_to_check():
    page = paginate(
        services.sessions_to_check(coordinated_sites(current_user)),
        request.args.get("page", 1, type=int),
    )
    return render_template("placements/sessions_to_check.html", page=page)
