from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import RoleGrant, User
from marketplace.accounts.roles import Role
from marketplace.admin import bp, services
from marketplace.admin.forms import ConfirmForm, GrantRoleForm, SiteWithPlanForm, UserFilterForm
from marketplace.audit.labels import action_label, describe
from marketplace.auth import sessions
from marketplace.authz import get_or_404, roles_required
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.forms import options
from marketplace.pagination import paginate
from marketplace.problems import take_step
from marketplace.sites.models import Site, TrainingCategory
from marketplace.sites.services import all_sites
from marketplace.statuses import status_label

MANAGERS = (Role.COORDINATOR, Role.SUPER_ADMIN)


def _managed_user_or_404(user_id: int) -> User:
    """A person the current user manages; others look like they do not exist."""
    user = get_or_404(User, user_id)
    if not services.can_manage_user(current_user, user):
        abort(404)
    return user


# People ---------------------------------------------------------------------------------------


@bp.get("/users")
@roles_required(*MANAGERS)
def users():
    form = UserFilterForm(request.args)
    managed = services.managed_site_ids(current_user)
    sites = [s for s in all_sites() if managed is None or s.id in managed]
    form.site.choices = options([("", _("All sites"))] + [(str(s.id), s.name) for s in sites])
    form.role.choices = options([("", _("All roles"))] + [(r.value, r.label) for r in Role])
    form.state.choices = options(
        [("", _("All accounts"))]
        + [(state, status_label("account", state)) for state in services.ACCOUNT_STATES]
    )
    filters = {}
    if form.validate():
        filters = {
            "search": form.q.data or "",
            "site_id": int(form.site.data) if form.site.data else None,
            "role": Role(form.role.data) if form.role.data else None,
            "state": form.state.data or None,
        }
    page = paginate(
        services.users_query(current_user, **filters),
        request.args.get("page", 1, type=int),
        bounded=True,
    )
    link_args = {k: v for k, v in request.args.items() if k in {"q", "site", "role", "state"} and v}
    return render_template(
        "admin/users.html",
        form=form,
        page=page,
        link_args=link_args,
        account_state=services.account_state,
    )


def _grant_form(user: User) -> GrantRoleForm:
    form = GrantRoleForm()
    held = {(g.role, g.site_id) for g in user.role_grants}
    form.grant.choices = options(
        (
            f"{role.value}:{site.id if site else ''}",
            f"{role.label} · {site.name}" if site else str(role.label),
        )
        for role, site in services.grantable(current_user)
        if (role, site.id if site else None) not in held
    )
    return form


@bp.get("/users/<int:user_id>")
@roles_required(*MANAGERS)
def user(user_id: int):
    person = _managed_user_or_404(user_id)
    return _render_user(person, _grant_form(person))


def _render_user(person: User, grant_form: GrantRoleForm, status: int = 200):
    return (
        render_template(
            "admin/user.html",
            person=person,
            grant_form=grant_form,
            account_state=services.account_state(person),
            can_change_activation=services.can_change_activation(current_user, person),
            can_revoke=lambda grant: services.may_handle(current_user, grant.role, grant.site_id),
            devices=sessions.live_sessions(person),
            describe_device=sessions.describe_device,
            can_resend_confirmation=services.can_resend_confirmation(current_user, person),
            activity=services.recent_activity(current_user, person),
            action_label=action_label,
            describe=describe,
        ),
        status,
    )


@bp.post("/users/<int:user_id>/roles")
@roles_required(*MANAGERS)
@keeps_input_on_csrf_failure
def grant_role(user_id: int):
    person = _managed_user_or_404(user_id)
    form = _grant_form(person)
    if not form.validate_on_submit():
        return _render_user(person, form, 400)
    role_value, _separator, site_id = form.grant.data.partition(":")
    site = get_or_404(Site, int(site_id)) if site_id else None

    def grant():
        if services.grant_role(current_user, person, Role(role_value), site):
            flash(
                _(
                    "%(name)s now has the role %(role)s.",
                    name=person.display_name,
                    role=Role(role_value).label,
                ),
                "success",
            )
        else:
            flash(_("%(name)s already has this role.", name=person.display_name), "info")

    return take_step(grant, success=None, back=url_for("admin.user", user_id=person.id))


@bp.post("/users/<int:user_id>/roles/<int:grant_id>/revoke")
@roles_required(*MANAGERS)
def revoke_role(user_id: int, grant_id: int):
    person = _managed_user_or_404(user_id)
    grant = get_or_404(RoleGrant, grant_id)
    if grant.user_id != person.id:
        abort(404)
    return take_step(
        lambda: services.revoke_role(current_user, grant),
        success=_(
            "The role %(role)s was taken away from %(name)s.",
            role=grant.role.label,
            name=person.display_name,
        ),
        back=url_for("admin.user", user_id=person.id),
    )


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def deactivate(user_id: int):
    person = _managed_user_or_404(user_id)
    if not services.can_change_activation(current_user, person):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.deactivate(current_user, person)
        flash(
            _(
                "%(name)s can no longer log in. Their open sessions have ended.",
                name=person.display_name,
            ),
            "success",
        )
        return redirect(url_for("admin.user", user_id=person.id))
    return render_template("admin/confirm_deactivate.html", person=person, form=form)


@bp.post("/users/<int:user_id>/reactivate")
@roles_required(*MANAGERS)
def reactivate(user_id: int):
    person = _managed_user_or_404(user_id)
    return take_step(
        lambda: services.reactivate(current_user, person),
        success=_("%(name)s can log in again.", name=person.display_name),
        back=url_for("admin.user", user_id=person.id),
    )


@bp.route("/users/<int:user_id>/sessions/end", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def end_sessions(user_id: int):
    person = _managed_user_or_404(user_id)
    if not services.can_change_activation(current_user, person):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.end_sessions(current_user, person)
        flash(
            _("%(name)s has been logged out on every device.", name=person.display_name),
            "success",
        )
        return redirect(url_for("admin.user", user_id=person.id))
    return render_template("admin/confirm_end_sessions.html", person=person, form=form)


@bp.post("/users/<int:user_id>/confirmation")
@roles_required(*MANAGERS)
def resend_confirmation(user_id: int):
    person = _managed_user_or_404(user_id)
    return take_step(
        lambda: services.resend_confirmation(current_user, person),
        success=_(
            "A new link to confirm the address is on its way to %(email)s. It may take a few "
            "minutes to arrive.",
            email=person.email,
        ),
        back=url_for("admin.user", user_id=person.id),
    )


# Sites ----------------------------------------------------------------------------------------


@bp.get("/sites")
@roles_required(Role.SUPER_ADMIN)
def sites():
    return render_template("admin/sites.html", sites=all_sites(), categories=list(TrainingCategory))


@bp.route("/sites/new", methods=["GET", "POST"])
@roles_required(Role.SUPER_ADMIN)
@keeps_input_on_csrf_failure
def new_site():
    return _edit_site(None)


@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
@roles_required(Role.SUPER_ADMIN)
@keeps_input_on_csrf_failure
def edit_site(site_id: int):
    return _edit_site(get_or_404(Site, site_id))


SITE_FIELDS = ("name", "slug", "country_code", "timezone", "default_locale", "local_locale")


def _edit_site(site: Site | None):
    form = SiteWithPlanForm(obj=site)
    if site is not None and request.method == "GET":
        for category in TrainingCategory:
            getattr(form, f"hours_{category.value}").data = site.planned_hours(category)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data.strip() for name in SITE_FIELDS}
        values["country_code"] = values["country_code"].upper()
        values["min_participant_age"] = form.min_participant_age.data
        values["max_participant_age"] = form.max_participant_age.data
        values["max_open_applications"] = form.max_open_applications.data
        values["retention_months"] = form.retention_months.data
        values["staff_second_factor"] = form.staff_second_factor.data
        if services.slug_taken(values["slug"], site):
            form.slug.errors.append(_("Another site already uses this short name."))
        else:
            hours = {c: getattr(form, f"hours_{c.value}").data for c in TrainingCategory}
            saved = services.save_site(current_user, site, values, hours)
            flash(_("The site %(name)s has been saved.", name=saved.name), "success")
            return redirect(url_for("admin.sites"))
    hour_fields = [getattr(form, f"hours_{c.value}") for c in TrainingCategory]
    return render_template("admin/site_form.html", form=form, site=site, hour_fields=hour_fields)
