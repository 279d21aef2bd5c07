from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, roles_required, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.extensions import db
from marketplace.forms import options
from marketplace.languages import CefrLevel, language_choices
from marketplace.mentors import bp, services
from marketplace.mentors.forms import (
    MentorProfileForm,
    MentorSearchForm,
    UnavailabilityForm,
    WindowForm,
)
from marketplace.mentors.models import AvailabilityWindow, Expertise, MentorProfile, Unavailability
from marketplace.mentors.models import ProfileStatus as Status
from marketplace.organisations.models import Organisation, OrganisationStatus
from marketplace.pagination import paginate
from marketplace.placements import services as placements
from marketplace.postings.forms import MentorCommentForm
from marketplace.problems import Problem, take_step
from marketplace.review.decisions import decide
from marketplace.sites.clock import today_at
from marketplace.sites.models import Site
from marketplace.workflow.services import history

MENTORING_PEOPLE = (Role.MENTOR, Role.EMPLOYER_STAFF)
SEARCHERS = (Role.COORDINATOR, Role.SUPER_ADMIN, Role.EMPLOYER_STAFF)


def _week_start(value: str | None, site: Site) -> date:
    """The Monday of the week asked for, or of this week as the site's calendar has it."""
    try:
        day = date.fromisoformat(value) if value else today_at(site)
    except ValueError:
        day = today_at(site)
    return day - timedelta(days=day.weekday())


def _weekday_choices():
    return options((day, services.weekday_name(day)) for day in range(7))


@bp.get("/me")
@roles_required(*MENTORING_PEOPLE)
def mine():
    profile = services.profile_of(current_user)
    if profile is None:
        return render_template("mentors/start.html")
    return _mine_page(profile)


def _mine_page(
    profile: MentorProfile,
    *,
    window_form: WindowForm | None = None,
    away_form: UnavailabilityForm | None = None,
) -> str:
    """The mentor's own page, the same whichever form is shown again with its errors."""
    if window_form is None:
        window_form = WindowForm(formdata=None)
        window_form.weekday.choices = _weekday_choices()
    monday = _week_start(request.args.get("week"), profile.site)
    return render_template(
        "mentors/mine.html",
        profile=profile,
        monday=monday,
        slots=services.week_slots(profile, monday, profile.site.zone),
        window_form=window_form,
        away_form=away_form or UnavailabilityForm(formdata=None),
        describe_window=services.describe_window,
        history=history(profile),
        mentees=placements.active_for_mentor(profile),
        actions=services.WORKFLOW.available(current_user, profile),
        review_comment=services.review_comment(profile),
    )


@bp.route("/me/profile", methods=["GET", "POST"])
@roles_required(*MENTORING_PEOPLE)
@keeps_input_on_csrf_failure
def edit_profile():
    profile = services.profile_of(current_user)
    form = MentorProfileForm(obj=profile)
    organisations = db.session.scalars(
        db.select(Organisation)
        .where(
            Organisation.site_id == current_user.site_id,
            Organisation.status == OrganisationStatus.APPROVED,
        )
        .order_by(Organisation.name)
    ).all()
    form.organisation.choices = options(
        [(0, _("None: I mentor on my own"))] + [(o.id, o.name) for o in organisations]
    )
    for entry in form.languages.entries:
        entry.form.language.choices = options([("", _("No language")), *language_choices()])
    if request.method == "GET" and profile is not None:
        form.expertise.data = [e.area.value for e in profile.expertise]
        form.organisation.data = profile.organisation_id or 0
        for entry, spoken in zip(form.languages.entries, profile.languages, strict=False):
            entry.form.language.data, entry.form.level.data = spoken.language, spoken.level.value
    if form.validate_on_submit():
        chosen = {o.id: o for o in organisations}.get(form.organisation.data)
        try:
            was_approved = profile is not None and services.WORKFLOW.may(
                current_user, profile, "resubmit"
            )
            services.save_profile(
                current_user,
                bio=form.bio.data or "",
                max_mentees=form.max_mentees.data,
                expertise=[Expertise(value) for value in form.expertise.data],
                languages=[
                    (entry.form.language.data, CefrLevel(entry.form.level.data))
                    for entry in form.languages.entries
                    if entry.form.language.data
                ],
                organisation=chosen,
            )
        except Problem as problem:
            db.session.rollback()
            form.max_mentees.errors.append(problem.message)
        else:
            if was_approved:
                flash(
                    _("Saved. A coordinator will check the changes before you get new mentees."),
                    "warning",
                )
            else:
                flash(_("Saved."), "success")
            return redirect(url_for("mentors.mine"))
    return render_template(
        "mentors/profile_form.html",
        form=form,
        profile=profile,
        back_to_review=profile is not None
        and services.WORKFLOW.may(current_user, profile, "resubmit"),
    )


def _own_profile_or_404() -> MentorProfile:
    profile = services.profile_of(current_user)
    if profile is None:
        abort(404)
    return profile


@bp.post("/me/submit")
@roles_required(*MENTORING_PEOPLE)
def submit():
    profile = _own_profile_or_404()
    return take_step(
        lambda: services.submit(current_user, profile),
        success=_("Your mentor profile is sent for review. A coordinator will look at it soon."),
        back=url_for("mentors.mine"),
    )


@bp.post("/me/pause")
@roles_required(*MENTORING_PEOPLE)
def pause():
    services.set_paused(current_user, _own_profile_or_404(), True)
    flash(_("Paused. You will get no new mentees until you resume."), "success")
    return redirect(url_for("mentors.mine"))


@bp.post("/me/resume")
@roles_required(*MENTORING_PEOPLE)
def resume():
    services.set_paused(current_user, _own_profile_or_404(), False)
    flash(_("Resumed. Coordinators can propose new mentees to you again."), "success")
    return redirect(url_for("mentors.mine"))


@bp.post("/me/windows")
@roles_required(*MENTORING_PEOPLE)
@keeps_input_on_csrf_failure
def add_window():
    profile = _own_profile_or_404()
    form = WindowForm()
    form.weekday.choices = _weekday_choices()
    if form.validate_on_submit():
        try:
            services.add_window(
                current_user,
                profile,
                form.weekday.data,
                form.start_time.data,
                form.end_time.data,
                form.valid_from.data,
                form.valid_until.data,
            )
        except Problem as problem:
            db.session.rollback()
            form.weekday.errors.append(problem.message)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("mentors.mine"))
    return _mine_page(profile, window_form=form), 400


@bp.post("/me/windows/<int:window_id>/delete")
@roles_required(*MENTORING_PEOPLE)
def remove_window(window_id: int):
    window = _own_or_404(AvailabilityWindow, window_id)
    return take_step(
        lambda: services.remove_window(current_user, window),
        success=_("Removed."),
        back=url_for("mentors.mine"),
    )


@bp.post("/me/away")
@roles_required(*MENTORING_PEOPLE)
@keeps_input_on_csrf_failure
def add_away():
    profile = _own_profile_or_404()
    form = UnavailabilityForm()
    if form.validate_on_submit():
        services.add_unavailability(
            current_user,
            profile,
            form.starts_on.data,
            form.ends_on.data,
            (form.note.data or "").strip(),
        )
        flash(_("Saved."), "success")
        return redirect(url_for("mentors.mine"))
    return _mine_page(profile, away_form=form), 400


@bp.post("/me/away/<int:period_id>/delete")
@roles_required(*MENTORING_PEOPLE)
def remove_away(period_id: int):
    period = _own_or_404(Unavailability, period_id)
    return take_step(
        lambda: services.remove_unavailability(current_user, period),
        success=_("Removed."),
        back=url_for("mentors.mine"),
    )


def _own_or_404(model, ident: int):
    """A weekly time or a day away of the signed-in mentor's; others' do not exist for them."""
    item = get_or_404(model, ident)
    profile = services.profile_of(current_user)
    if profile is None or item.profile_id != profile.id:
        abort(404)
    return item


def _visible_or_404(profile_id: int) -> MentorProfile:
    profile = get_or_404(MentorProfile, profile_id)
    if not services.can_view(current_user, profile):
        abort(404)
    return profile


@bp.get("/<int:profile_id>")
@signed_in
def show(profile_id: int):
    profile = _visible_or_404(profile_id)
    can_review = "coordinator" in services.WORKFLOW.relations_of(current_user, profile)
    viewer_zone = get_timezone()
    return render_template(
        "mentors/show.html",
        profile=profile,
        actions=services.WORKFLOW.available(current_user, profile),
        next_slot=services.next_slot(profile, viewer_zone),
        history=history(profile) if can_review else [],
        comment_form=MentorCommentForm(),
    )


REVIEW_ACTIONS = {
    "approve": Status.APPROVED,
    "request-changes": Status.CHANGES_REQUESTED,
    "reject": Status.REJECTED,
}


@bp.post("/<int:profile_id>/review/<action>")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def review(profile_id: int, action: str):
    profile = _visible_or_404(profile_id)
    back = url_for("mentors.show", profile_id=profile.id)
    return decide(services.WORKFLOW, services.review, profile, REVIEW_ACTIONS, action, back=back)


@bp.post("/<int:profile_id>/confirm-organisation")
@roles_required(Role.EMPLOYER_STAFF)
def confirm_organisation(profile_id: int):
    profile = _visible_or_404(profile_id)
    back = (
        url_for("organisations.manage", organisation_id=profile.organisation_id)
        if profile.organisation_id
        else url_for("organisations.mine")
    )
    return take_step(
        lambda: services.confirm_organisation(current_user, profile), success=_("Saved."), back=back
    )


@bp.get("/")
@roles_required(*SEARCHERS)
def search():
    sites = coordinated_sites(current_user)
    if sites is not None and not current_user.has_role(Role.COORDINATOR):
        sites = current_user.sites_for(Role.EMPLOYER_STAFF)
    form = MentorSearchForm(request.args)
    form.expertise.choices = options(
        [("", _("Any area")), *[(e.value, e.label) for e in Expertise]]
    )
    form.language.choices = options([("", _("Any language")), *language_choices()])
    form.min_level.choices = options(
        [("", _("Any level")), *[(lv.value, lv.label) for lv in CefrLevel]]
    )
    filters = services.MentorFilters()
    if form.validate():
        filters = services.MentorFilters(
            expertise=Expertise(form.expertise.data) if form.expertise.data else None,
            language=form.language.data or "",
            min_level=CefrLevel(form.min_level.data) if form.min_level.data else None,
            organisation=form.organisation.data or "",
            week_of=form.week_of.data,
            free_only=form.free_only.data,
        )
    page = paginate(
        services.search(sites, filters),
        request.args.get("page", 1, type=int),
        bounded=True,
    )
    link_args = {k: v for k, v in request.args.items() if k in form.data and k != "submit" and v}
    viewer_zone = get_timezone()
    return render_template(
        "mentors/search.html",
        form=form,
        page=page,
        link_args=link_args,
        next_slot=lambda profile: services.next_slot(profile, viewer_zone),
        searched=bool(link_args),
    )
