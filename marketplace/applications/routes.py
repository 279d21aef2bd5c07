from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.applications import bp, services
from marketplace.applications.forms import ApplyForm, DeclineForm, MentorDeclineForm, OfferForm
from marketplace.applications.models import Application, DeclineReason, MentorDeclineReason
from marketplace.authz import coordinated_sites, get_or_404, roles_required, signed_in
from marketplace.conversations import services as conversations
from marketplace.extensions import db
from marketplace.forms import options
from marketplace.mentors import services as mentors
from marketplace.mentors.models import MentorProfile
from marketplace.pagination import paginate
from marketplace.participants import services as participants
from marketplace.postings.forms import ReturnedOfferCommentForm
from marketplace.postings.models import Posting, PostingKind
from marketplace.problems import Problem, full_page, take_step
from marketplace.recommendations import services as recommendations
from marketplace.workflow.services import history


def _visible_or_404(application_id: int) -> Application:
    application = get_or_404(Application, application_id)
    if not services.can_view(current_user, application):
        abort(404)
    return application


def _act(application: Application, action, success: str):
    """Run a workflow step and come back to the application, whatever happens."""
    return take_step(
        action,
        success=success,
        back=url_for("applications.show", application_id=application.id),
        on_full=full_page("applications/full.html", application=application),
    )


# Participants ---------------------------------------------------------------------------------


@bp.post("/apply/<int:posting_id>")
@roles_required(Role.PARTICIPANT)
def apply(posting_id: int):
    posting = get_or_404(Posting, posting_id)
    form = ApplyForm()
    if not form.validate_on_submit():
        for error in form.motivation.errors:
            flash(error, "warning")
        return redirect(url_for("postings.show", posting_id=posting.id))
    profile = participants.profile_of(current_user)
    try:
        application = services.apply(current_user, profile, posting, form.motivation.data)
    except Problem as problem:
        flash(problem.message, "warning")
        return redirect(url_for("postings.show", posting_id=posting.id))
    flash(_("Your application is sent. You will get an answer by e-mail."), "success")
    return redirect(url_for("applications.show", application_id=application.id))


@bp.get("/")
@roles_required(Role.PARTICIPANT)
def mine():
    profile = participants.profile_of(current_user)
    page = (
        paginate(services.of_participant(profile), request.args.get("page", 1, type=int))
        if profile
        else None
    )
    return render_template("applications/mine.html", page=page)


def _offer_form(application: Application, actions: frozenset[str]) -> OfferForm:
    """The offer form, its terms prefilled from the posting (or from the offer already made)."""
    form = OfferForm(today=services.site_today(application))
    if not form.is_submitted() and actions & {"offer", "change_mentor"}:
        terms = services.proposed_terms(current_user, application)
        form.start_date.data, form.end_date.data = terms.start_date, terms.end_date
        form.hours_per_week.data, form.place.data = terms.hours_per_week, terms.place
        form.contact.data, form.message.data = terms.contact, terms.message
        form.answer_by.data = terms.answer_by
    if actions & {"offer", "change_mentor"} and application.posting.kind == PostingKind.MENTORING:
        # Best fit first, each with its reasons shown under the choice.
        form.mentor_fits = recommendations.mentors_by_fit(
            application.posting,
            application.participant,
            services.mentor_choices(current_user, application),
        )
        form.mentor.choices = options(
            (fit.item.id, f"{fit.item.user.display_name} · {fit.item.free_places}")
            for fit in form.mentor_fits
        )
    return form


def _render(application: Application, *, decline_form=None, offer_form=None, status=200):
    actions = services.available_actions(current_user, application)
    return (
        render_template(
            "applications/show.html",
            application=application,
            actions=actions,
            terms=services.terms_of(application),
            answer=services.answer_awaited(application),
            mentor_answer=services.mentor_answer_text(application),
            next_step=services.next_for_applicant(application),
            is_applicant=services.is_applicant(current_user, application),
            is_staff=services.is_staff_for(current_user, application),
            is_coordinator=services.is_coordinator_for(current_user, application),
            is_mentor=services.is_mentor_for(current_user, application),
            hidden_applicant=(
                application.participant.user_id
                if services.applicant_hidden_from(current_user, application)
                else None
            ),
            decline_form=decline_form or DeclineForm(formdata=None),
            offer_form=offer_form or _offer_form(application, actions),
            mentor_decline_form=MentorDeclineForm(formdata=None),
            comment_form=ReturnedOfferCommentForm(formdata=None),
            history=history(application),
            placement_id=services.placement_id_for(application),
            **conversations.view(current_user, conversations.Thread("application", application)),
        ),
        status,
    )


@bp.get("/<int:application_id>")
@signed_in
def show(application_id: int):
    return _render(_visible_or_404(application_id))


@bp.post("/<int:application_id>/withdraw")
@roles_required(Role.PARTICIPANT)
def withdraw(application_id: int):
    application = _visible_or_404(application_id)
    return _act(
        application,
        lambda: services.withdraw(current_user, application),
        _("Your application is withdrawn."),
    )


@bp.post("/<int:application_id>/accept")
@roles_required(Role.PARTICIPANT)
def accept(application_id: int):
    application = _visible_or_404(application_id)
    return _act(
        application,
        lambda: services.accept_offer(current_user, application),
        _(
            "You accepted the offer. Next, a coordinator approves the placement; you will get "
            "a message then, with the placement's page."
        ),
    )


@bp.post("/<int:application_id>/decline-offer")
@roles_required(Role.PARTICIPANT)
def decline_offer(application_id: int):
    application = _visible_or_404(application_id)
    return _act(
        application,
        lambda: services.decline_offer(current_user, application),
        _("You declined this offer. The employer is told. You can apply to other postings."),
    )


# Employers (and coordinators acting for the site) -----------------------------------------------


@bp.get("/posting/<int:posting_id>")
@roles_required(Role.EMPLOYER_STAFF, Role.COORDINATOR, Role.SUPER_ADMIN)
def for_posting(posting_id: int):
    posting = get_or_404(Posting, posting_id)
    if not (
        posting.organisation.is_staff(current_user)
        or services.is_site_coordinator(current_user, posting.site_id)
    ):
        abort(404)
    page = paginate(services.for_posting(posting), request.args.get("page", 1, type=int))
    return render_template(
        "applications/for_posting.html",
        posting=posting,
        page=page,
        language_fit=services.language_fit_of(posting, page.items),
    )


@bp.post("/<int:application_id>/shortlist")
@signed_in
def shortlist(application_id: int):
    application = _visible_or_404(application_id)
    return _act(
        application,
        lambda: services.shortlist(current_user, application),
        _("Added to the shortlist. You can now see who the applicant is."),
    )


@bp.post("/<int:application_id>/decline")
@signed_in
def decline(application_id: int):
    application = _visible_or_404(application_id)
    if not services.WORKFLOW.relations_of(current_user, application) & set(services.EMPLOYER):
        abort(403)  # before the form is read
    form = DeclineForm()
    if not form.validate_on_submit():
        if "decline" in services.available_actions(current_user, application):
            return _render(application, decline_form=form, status=400)
        flash(_("Please choose a reason."), "warning")
        return redirect(url_for("applications.show", application_id=application.id))
    return _act(
        application,
        lambda: services.decline(
            current_user, application, DeclineReason(form.reason.data), form.note.data or ""
        ),
        _("The applicant is told, kindly."),
    )


@bp.post("/<int:application_id>/offer")
@signed_in
def offer(application_id: int):
    application = _visible_or_404(application_id)
    if not services.WORKFLOW.relations_of(current_user, application) & set(services.EMPLOYER):
        abort(403)  # before the form is read
    actions = services.available_actions(current_user, application)
    form = _offer_form(application, actions)
    if actions & {"offer", "change_mentor"} and not form.validate_on_submit():
        return _render(application, offer_form=form, status=400)
    mentor = None
    if application.posting.kind == PostingKind.MENTORING and form.mentor.data:
        mentor = db.session.get(MentorProfile, form.mentor.data)
    terms = None
    if form.start_date.data and form.hours_per_week.data:
        terms = services.OfferTerms(
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            hours_per_week=form.hours_per_week.data,
            place=form.place.data or "",
            contact=form.contact.data or "",
            message=form.message.data or "",
            answer_by=form.answer_by.data,
        )
    return _act(
        application,
        lambda: services.offer(current_user, application, mentor, terms),
        _("The offer is sent. The applicant reads its terms and accepts or declines."),
    )


# Mentors ----------------------------------------------------------------------------------------


@bp.get("/mentoring")
@roles_required(Role.MENTOR)
def mentoring():
    profile = mentors.profile_of(current_user)
    page = (
        paginate(services.for_mentor(profile), request.args.get("page", 1, type=int))
        if profile
        else None
    )
    return render_template(
        "applications/mentoring.html",
        page=page,
        proposals=services.proposals(page.items) if page else [],
    )


@bp.post("/<int:application_id>/mentor/accept")
@roles_required(Role.MENTOR)
def mentor_accept(application_id: int):
    application = _visible_or_404(application_id)
    return _act(
        application,
        lambda: services.mentor_answer(current_user, application, True),
        _("Thank you. You will mentor this participant once the placement is approved."),
    )


@bp.post("/<int:application_id>/mentor/decline")
@roles_required(Role.MENTOR)
def mentor_decline(application_id: int):
    application = _visible_or_404(application_id)
    form = MentorDeclineForm()
    reason = MentorDeclineReason(form.reason.data) if form.validate_on_submit() else None
    return _act(
        application,
        lambda: services.mentor_answer(current_user, application, False, reason),
        _("You declined. The employer will choose another mentor."),
    )


# Coordinators -----------------------------------------------------------------------------------


@bp.get("/approvals")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def approvals():
    page = paginate(
        services.waiting_for_approval(coordinated_sites(current_user)),
        request.args.get("page", 1, type=int),
    )
    return render_template("applications/approvals.html", page=page)


@bp.post("/<int:application_id>/approve")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def approve(application_id: int):
    application = _visible_or_404(application_id)
    return _act(
        application,
        lambda: services.approve(current_user, application),
        _("Approved. The placement is created."),
    )


@bp.post("/<int:application_id>/return")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def return_offer(application_id: int):
    application = _visible_or_404(application_id)
    form = ReturnedOfferCommentForm()
    if not form.validate_on_submit():  # too long, or a character not allowed
        for error in form.comment.errors:
            flash(error, "warning")
        return redirect(url_for("applications.show", application_id=application.id))
    return _act(
        application,
        lambda: services.return_to_offered(current_user, application, form.comment.data or ""),
        _("The offer is returned with your comment."),
    )
