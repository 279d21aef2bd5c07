from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace import page_cache
from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.applications.forms import ApplyForm
from marketplace.authz import get_or_404, public, roles_required, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.forms import options
from marketplace.i18n import LANGUAGES
from marketplace.languages import CefrLevel, language_choices
from marketplace.mentors.models import Expertise
from marketplace.organisations.models import Organisation
from marketplace.pagination import paginate
from marketplace.participants import services as participants
from marketplace.postings import bp, services
from marketplace.postings.forms import CommentForm, PostingForm, SearchForm
from marketplace.postings.models import Posting, PostingKind
from marketplace.postings.models import PostingStatus as Status
from marketplace.problems import take_step
from marketplace.recommendations import services as recommendations
from marketplace.review.decisions import decide
from marketplace.sites.clock import today_at
from marketplace.sites.services import all_sites
from marketplace.workflow.services import history

FORM_FIELDS = (
    "kind",
    "title",
    "description",
    "content_locale",
    "location",
    "start_date",
    "end_date",
    "hours_per_week",
    "seats",
    "work_permit_required",
    "application_deadline",
)
SEARCH_ARGS = (
    "q",
    "kind",
    "area",
    "site",
    "city",
    "language",
    "content_language",
    "start_from",
    "start_to",
    "hours_min",
    "hours_max",
    "open_only",
    "sort",
)


@bp.get("/")
@public
@page_cache.for_visitors
def index():
    sites = all_sites()
    form = SearchForm(request.args)
    form.kind.choices = options([("", _("All kinds"))] + [(k.value, k.label) for k in PostingKind])
    form.area.choices = options([("", _("All areas"))] + [(a.value, a.label) for a in Expertise])
    form.site.choices = options([("", _("All sites"))] + [(str(s.id), s.name) for s in sites])
    form.city.choices = options(
        [("", _("All cities"))] + [(c, c) for c in services.cities_with_postings()]
    )
    form.language.choices = options([("", _("Any language")), *language_choices()])
    form.content_language.choices = options([("", _("Any language")), *LANGUAGES.items()])
    sorts = [("newest", _("Newest first")), ("deadline", _("Deadline soonest"))]
    participant = current_user.is_authenticated and current_user.has_role(Role.PARTICIPANT)
    if participant:
        sorts.insert(0, ("best", _("Best for me")))
    form.sort.choices = options(sorts)
    filters = services.SearchFilters()
    if form.validate():
        filters = services.SearchFilters(
            text=form.q.data or "",
            kind=PostingKind(form.kind.data) if form.kind.data else None,
            area=Expertise(form.area.data) if form.area.data else None,
            site_id=int(form.site.data) if form.site.data else None,
            city=form.city.data or "",
            language=form.language.data or "",
            content_locale=form.content_language.data or "",
            start_from=form.start_from.data,
            start_to=form.start_to.data,
            hours_min=form.hours_min.data,
            hours_max=form.hours_max.data,
            open_only=form.open_only.data,
            sort=form.sort.data or "newest",
        )
    query, best_for = services.search(filters, sites), None
    if participant and filters.sort == "best":
        best_for = recommendations.for_participant(current_user)
        if best_for.facts is not None:
            query = recommendations.best_first(query, best_for.facts, sites)
    page = paginate(query, request.args.get("page", 1, type=int), bounded=True)
    link_args = {k: v for k, v in request.args.items() if k in SEARCH_ARGS and v}
    return render_template(
        "postings/index.html",
        form=form,
        page=page,
        link_args=link_args,
        is_open=services.is_open,
        searched=bool(link_args),
        not_recommended=best_for.why_none if best_for else None,
        reasons={
            explained.item.id: explained.reasons
            for explained in recommendations.explain_postings(best_for.facts, page.items)
        }
        if best_for and best_for.facts
        else {},
    )


def _visible_or_404(posting_id: int) -> Posting:
    posting = get_or_404(Posting, posting_id)
    if not services.can_view(current_user, posting):
        abort(404)
    return posting


@bp.get("/<int:posting_id>")
@public
@page_cache.for_visitors
def show(posting_id: int):
    posting = _visible_or_404(posting_id)
    signed_in = current_user.is_authenticated
    relations = services.WORKFLOW.relations_of(current_user, posting)
    is_staff, can_review = "staff" in relations, "coordinator" in relations
    may_apply = signed_in and current_user.has_role(Role.PARTICIPANT)
    profile = participants.profile_of(current_user) if may_apply else None
    return render_template(
        "postings/show.html",
        posting=posting,
        actions=services.WORKFLOW.available(current_user, posting),
        is_open=services.is_open(posting),
        is_published=services.is_published(posting),
        is_public=services.is_public(posting),
        review_comment=services.review_comment(posting),
        is_staff=is_staff,
        can_edit=signed_in and services.can_edit(current_user, posting),
        can_review=can_review,
        # The history names coordinators and comments: for the employer and reviewers only.
        history=history(posting) if is_staff or can_review else [],
        comment_form=CommentForm(),
        apply_form=ApplyForm(),
        may_apply=may_apply and services.is_published(posting),
        apply_problem=applications.apply_problem(profile, posting) if may_apply else None,
        invited=recommendations.is_invited(profile, posting),
        applicant_count=applications.applicant_count(posting) if is_staff or can_review else 0,
    )


def _prepare(form: PostingForm) -> PostingForm:
    for entry in form.languages.entries:
        entry.form.language.choices = options([("", _("No language")), *language_choices()])
    return form


def _values(form: PostingForm) -> tuple[dict, list]:
    values = {name: getattr(form, name).data for name in FORM_FIELDS}
    values["title"], values["location"] = values["title"].strip(), values["location"].strip()
    values["areas"] = [Expertise(value) for value in form.areas.data or []]
    languages = [
        (entry.form.language.data, CefrLevel(entry.form.min_level.data))
        for entry in form.languages.entries
        if entry.form.language.data
    ]
    return values, languages


def _fill_lists(form: PostingForm, posting: Posting) -> None:
    form.areas.data = [item.area.value for item in posting.areas]
    for entry, requirement in zip(form.languages.entries, posting.languages, strict=False):
        entry.form.language.data = requirement.language
        entry.form.min_level.data = requirement.min_level.value


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER_STAFF)
@keeps_input_on_csrf_failure
def new():
    organisation_id = request.args.get("organisation", type=int)
    if organisation_id is None:
        # A posting always belongs to an organisation: choose it on "Your organisations".
        return redirect(url_for("organisations.mine"))
    organisation = get_or_404(Organisation, organisation_id)
    if not organisation.is_staff(current_user):
        abort(404)
    if not organisation.may_post(current_user):
        flash(
            _(
                "%(name)s can write postings once a coordinator has approved it.",
                name=organisation.name,
            ),
            "warning",
        )
        return redirect(url_for("organisations.manage", organisation_id=organisation.id))
    form = _prepare(PostingForm())
    form.site_today = today_at(organisation.site)
    if request.method == "GET":
        form.content_locale.data = organisation.site.local_locale
    if form.validate_on_submit():
        posting = services.create(current_user, organisation, *_values(form))
        flash(_("The draft is saved. Send it for review when it is ready."), "success")
        return redirect(url_for("postings.show", posting_id=posting.id))
    return render_template("postings/form.html", form=form, organisation=organisation, posting=None)


@bp.route("/<int:posting_id>/edit", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def edit(posting_id: int):
    posting = _visible_or_404(posting_id)
    if not posting.organisation.is_staff(current_user):
        abort(404)
    if not services.can_edit(current_user, posting):
        abort(403)
    form = _prepare(PostingForm(obj=posting))
    form.site_today, form.saved_start_date = today_at(posting.site), posting.start_date
    if request.method == "GET":
        _fill_lists(form, posting)
    if form.validate_on_submit():
        if services.update(current_user, posting, *_values(form)):
            flash(
                _("Saved. The posting is hidden until a coordinator publishes it again."), "warning"
            )
        else:
            flash(_("Saved."), "success")
        return redirect(url_for("postings.show", posting_id=posting.id))
    return render_template(
        "postings/form.html",
        form=form,
        organisation=posting.organisation,
        posting=posting,
        back_to_review=services.WORKFLOW.may(current_user, posting, "resubmit"),
    )


@bp.post("/<int:posting_id>/submit")
@signed_in
def submit(posting_id: int):
    posting = _visible_or_404(posting_id)
    return take_step(
        lambda: services.submit(current_user, posting),
        success=_("Sent for review. A coordinator will look at it soon."),
        back=url_for("postings.show", posting_id=posting.id),
    )


@bp.route("/<int:posting_id>/close", methods=["GET", "POST"])
@signed_in
def close(posting_id: int):
    """Closing cannot be undone: the staff first see what it does, then confirm."""
    posting = _visible_or_404(posting_id)
    if not services.WORKFLOW.is_theirs(current_user, posting, "close"):
        abort(403)
    back = url_for("postings.show", posting_id=posting.id)
    if request.method == "POST" and request.form.get("confirmed") == "yes":
        return take_step(
            lambda: services.close_by_owner(current_user, posting),
            success=_("The posting is closed. Nobody can apply any more."),
            back=back,
        )
    if not services.WORKFLOW.may(current_user, posting, "close"):
        flash(_("This is not possible in the current status."), "warning")
        return redirect(back)
    return render_template(
        "postings/confirm_close.html",
        posting=posting,
        waiting=applications.waiting_count(posting),
    )


REVIEW_ACTIONS = {
    "publish": Status.PUBLISHED,
    "reject": Status.REJECTED,
    "request-changes": Status.CHANGES_REQUESTED,
}


@bp.post("/<int:posting_id>/review/<action>")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def review(posting_id: int, action: str):
    posting = _visible_or_404(posting_id)
    back = url_for("postings.show", posting_id=posting.id)
    return decide(services.WORKFLOW, services.review, posting, REVIEW_ACTIONS, action, back=back)
