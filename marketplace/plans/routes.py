from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.authz import get_or_404, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.participants import services as participants
from marketplace.participants.models import ParticipantProfile
from marketplace.plans import bp, services
from marketplace.plans.forms import PlanForm, ReachedForm
from marketplace.problems import NotAllowed, Problem, take_step
from marketplace.sites.clock import today_at


def _visible_or_404(profile_id: int) -> ParticipantProfile:
    """The participant's plan is theirs, their site's coordinators' and their active mentor's;
    to anyone else it does not exist."""
    profile = get_or_404(ParticipantProfile, profile_id)
    if not services.can_view(current_user, profile):
        abort(404)
    return profile


def _show_page(profile: ParticipantProfile, reached_forms=None, status=200):
    view = services.view(profile)
    forms = reached_forms or {}
    if view.current is not None:
        for goal in view.current.goals:
            forms.setdefault(
                goal.id,
                ReachedForm(
                    formdata=None, prefix=f"goal-{goal.id}", reached_on=today_at(profile.site)
                ),
            )
    return render_template(
        "plans/show.html",
        profile=profile,
        view=view,
        actions=services.actions(current_user, profile),
        reached_forms=forms,
        journey_visible=participants.can_view(current_user, profile),
    ), status


@bp.get("/<int:profile_id>")
@signed_in
def show(profile_id: int):
    return _show_page(_visible_or_404(profile_id))


@bp.route("/<int:profile_id>/propose", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def propose(profile_id: int):
    profile = _visible_or_404(profile_id)
    actions = services.actions(current_user, profile)
    if not actions & {"draft", "propose"}:
        raise NotAllowed
    view = services.view(profile)
    latest = view.pending or view.current
    form = PlanForm()
    if not form.is_submitted():
        _fill(form, profile, latest)
    if form.validate_on_submit():
        try:
            services.propose(
                current_user, profile, form.measures(), form.goal_values(), form.note.data or ""
            )
        except Problem as problem:
            flash(problem.message, "warning")
        else:
            flash(_("The plan is saved as a new version. It waits for agreement."), "success")
            return redirect(url_for("plans.show", profile_id=profile.id))
    return render_template(
        "plans/propose.html",
        profile=profile,
        form=form,
        first="draft" in actions,
        latest=latest,
    ), (400 if form.errors else 200)


def _fill(form: PlanForm, profile: ParticipantProfile, latest) -> None:
    if latest is None:
        hours = services.suggested_measures(profile)
        goals = []
    else:
        hours = {m.measure: m.planned_hours for m in latest.measures}
        goals = [(g.text, g.target_date) for g in latest.goals]
    for measure, field in form.hours_fields():
        field.data = hours.get(measure)
    for entry, (text, target) in zip(form.goals.entries, goals, strict=False):
        entry.form.text.data, entry.form.target_date.data = text, target


@bp.post("/<int:profile_id>/agree/<int:number>")
@signed_in
def agree(profile_id: int, number: int):
    profile = _visible_or_404(profile_id)
    return take_step(
        lambda: services.agree(current_user, profile, number),
        success=_("You agreed to this version of the individual plan."),
        back=url_for("plans.show", profile_id=profile.id),
    )


@bp.post("/<int:profile_id>/goals/<int:goal_id>/reached")
@signed_in
def goal_reached(profile_id: int, goal_id: int):
    profile = _visible_or_404(profile_id)
    form = ReachedForm(prefix=f"goal-{goal_id}")
    if not form.validate_on_submit():
        return _show_page(profile, {goal_id: form}, status=400)
    return take_step(
        lambda: services.mark_reached(
            current_user, profile, goal_id, form.reached_on.data, form.note.data or ""
        ),
        success=_("The goal is marked as reached."),
        back=url_for("plans.show", profile_id=profile.id),
    )


@bp.app_template_global("plan_visible")
def plan_visible(profile: ParticipantProfile) -> bool:
    """For pages of other features that link to a participant's plan (a placement's page)."""
    return services.can_view(current_user, profile)
