from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.authz import get_or_404, public, roles_required, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.forms import options
from marketplace.mentors import services as mentor_services
from marketplace.organisations import bp, services
from marketplace.organisations.forms import JoinSearchForm, OrganisationForm, ReasonForm
from marketplace.organisations.models import Organisation, OrganisationMember
from marketplace.pagination import paginate
from marketplace.postings import services as postings
from marketplace.problems import take_step
from marketplace.review.decisions import decide
from marketplace.sites.services import all_sites, may_act_at
from marketplace.workflow.services import history

DETAIL_FIELDS = (
    "name",
    "registration_number",
    "sector",
    "address",
    "city",
    "contact_name",
    "contact_email",
    "contact_phone",
    "description",
)


def _may_see_workspace(organisation: Organisation) -> bool:
    return organisation.member(current_user) is not None or services.is_site_coordinator(
        current_user, organisation.site_id
    )


def _workspace_or_404(organisation_id: int) -> Organisation:
    organisation = get_or_404(Organisation, organisation_id)
    if not _may_see_workspace(organisation):
        abort(404)
    return organisation


def _details(form: OrganisationForm) -> dict:
    return {name: (getattr(form, name).data or "").strip() for name in DETAIL_FIELDS}


@bp.get("/")
@roles_required(Role.EMPLOYER_STAFF)
def mine():
    organisations = services.organisations_of(current_user)
    approved_ids = [o.id for o in organisations if o.is_staff(current_user)]
    page = paginate(postings.of_organisations(approved_ids), request.args.get("page", 1, type=int))
    return render_template(
        "organisations/mine.html",
        organisations=organisations,
        page=page,
        applicant_counts=applications.applicant_counts(page.items),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER_STAFF)
@keeps_input_on_csrf_failure
def new():
    form = OrganisationForm()
    sites = {site.id: site for site in all_sites() if may_act_at(current_user, site.id)}
    form.site.choices = options((site.id, site.name) for site in sites.values())
    if request.method == "GET" and current_user.site_id in sites:
        form.site.data = current_user.site_id
    if form.validate_on_submit():
        organisation = services.register(
            current_user, {**_details(form), "site_id": form.site.data}
        )
        flash(
            _(
                "Thank you. A coordinator will check %(name)s soon. We will tell you by e-mail.",
                name=organisation.name,
            ),
            "success",
        )
        return redirect(url_for("organisations.manage", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=None)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def edit(organisation_id: int):
    organisation = _workspace_or_404(organisation_id)
    if not organisation.is_owner(current_user):
        abort(403)
    form = OrganisationForm(obj=organisation)
    form.site.choices = options([(organisation.site_id, organisation.site.name)])
    form.site.data = organisation.site_id
    if form.validate_on_submit():
        services.update_details(current_user, organisation, _details(form))
        flash(_("Saved."), "success")
        return redirect(url_for("organisations.manage", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form, organisation=organisation)


@bp.get("/join")
@roles_required(Role.EMPLOYER_STAFF)
def join():
    form = JoinSearchForm(request.args)
    found = services.joinable(current_user, form.q.data or "") if form.validate() else []
    mine = {o.id for o in services.organisations_of(current_user)}
    return render_template("organisations/join.html", form=form, found=found, mine=mine)


@bp.post("/<int:organisation_id>/join")
@roles_required(Role.EMPLOYER_STAFF)
def ask_to_join(organisation_id: int):
    organisation = get_or_404(Organisation, organisation_id)
    if not services.may_join(current_user, organisation):
        abort(404)
    if services.ask_to_join(current_user, organisation):
        flash(
            _("We have asked the owner of %(name)s to approve you.", name=organisation.name),
            "success",
        )
    return redirect(url_for("organisations.mine"))


@bp.get("/<int:organisation_id>")
@public
def show(organisation_id: int):
    """The public profile; before approval only its staff and coordinators see it."""
    organisation = get_or_404(Organisation, organisation_id)
    if not organisation.is_approved and not (
        current_user.is_authenticated and _may_see_workspace(organisation)
    ):
        abort(404)
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        postings=postings.published_of(organisation),
    )


@bp.get("/<int:organisation_id>/manage")
@signed_in
def manage(organisation_id: int):
    organisation = _workspace_or_404(organisation_id)
    return render_template(
        "organisations/manage.html",
        organisation=organisation,
        history=history(organisation),
        postings=paginate(
            postings.of_organisations([organisation.id]), request.args.get("page", 1, type=int)
        ),
        reason_form=ReasonForm(),
        mentors_to_confirm=mentor_services.mentors_to_confirm(organisation),
        is_coordinator=services.is_site_coordinator(current_user, organisation.site_id),
        is_pending=services.is_pending(organisation),
        actions=services.WORKFLOW.available(current_user, organisation),
        member_actions=lambda member: services.member_actions(current_user, member),
    )


def _member_or_404(organisation: Organisation, member_id: int) -> OrganisationMember:
    member = get_or_404(OrganisationMember, member_id)
    if member.organisation_id != organisation.id:
        abort(404)
    return member


@bp.post("/<int:organisation_id>/members/<int:member_id>/approve")
@signed_in
def approve_member(organisation_id: int, member_id: int):
    organisation = _workspace_or_404(organisation_id)
    member = _member_or_404(organisation, member_id)
    return take_step(
        lambda: services.approve_member(current_user, member),
        success=_("Saved."),
        back=url_for("organisations.manage", organisation_id=organisation.id),
    )


@bp.post("/<int:organisation_id>/members/<int:member_id>/remove")
@signed_in
def remove_member(organisation_id: int, member_id: int):
    organisation = _workspace_or_404(organisation_id)
    member = _member_or_404(organisation, member_id)
    return take_step(
        lambda: services.remove_member(current_user, member),
        success=_("Saved."),
        back=url_for("organisations.manage", organisation_id=organisation.id),
    )


# Each action is the workflow step of the same name.
REVIEW_ACTIONS = {name: name for name in ("approve", "reject", "suspend", "reinstate")}


@bp.post("/<int:organisation_id>/review/<action>")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def review(organisation_id: int, action: str):
    organisation = _workspace_or_404(organisation_id)
    back = url_for("organisations.manage", organisation_id=organisation.id)
    return decide(
        services.WORKFLOW,
        services.review,
        organisation,
        REVIEW_ACTIONS,
        action,
        back=back,
        form=ReasonForm(),
        field="reason",
    )
