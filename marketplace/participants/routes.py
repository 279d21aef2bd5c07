from pathlib import Path

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, roles_required, signed_in
from marketplace.certificates import services as certificates
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.extensions import db
from marketplace.forms import options
from marketplace.i18n import LANGUAGES
from marketplace.languages import CefrLevel, language_choices
from marketplace.links import url_for_email
from marketplace.mail.services import recipient_locale
from marketplace.mentors.models import Expertise
from marketplace.pagination import paginate
from marketplace.participants import bp, services
from marketplace.participants import journey as journeys
from marketplace.participants.forms import (
    CvForm,
    InterviewForm,
    MatchingPreferencesForm,
    ParticipantProfileForm,
)
from marketplace.participants.models import (
    Gender,
    HeardFrom,
    ParticipantProfile,
    Support,
    WorkPermit,
)
from marketplace.participants.models import ProfileStatus as Status
from marketplace.plans import services as plans
from marketplace.postings.forms import ParticipantCommentForm
from marketplace.problems import Problem, take_step
from marketplace.questionnaires import services as questionnaires
from marketplace.review.decisions import decide
from marketplace.workflow.services import history


def _own_profile_or_404() -> ParticipantProfile:
    profile = services.profile_of(current_user)
    if profile is None:
        abort(404)
    return profile


@bp.get("/me")
@roles_required(Role.PARTICIPANT)
def mine():
    profile = services.profile_of(current_user)
    if profile is None:
        return redirect(url_for("participants.edit_profile"))
    return _mine_page(profile)


def _mine_page(
    profile: ParticipantProfile,
    cv_form: CvForm | None = None,
    matching_form: MatchingPreferencesForm | None = None,
) -> str:
    if matching_form is None:
        matching_form = MatchingPreferencesForm(formdata=None, obj=profile)
        matching_form.suggest_me.data = bool(
            services.active_consent(current_user, services.SUGGESTION_CONSENT)
        )
    return render_template(
        "participants/mine.html",
        profile=profile,
        steps=services.next_steps(current_user),
        path=journeys.profile_path(current_user, profile),
        cv_form=cv_form or CvForm(formdata=None),
        matching_form=matching_form,
        funder_consent=services.active_consent(current_user, services.FUNDER_CONSENT),
        response=questionnaires.latest_response(profile.id),
        actions=services.WORKFLOW.available(current_user, profile),
        can_edit=services.can_edit(current_user, profile),
        review_comment=services.review_comment(profile),
    )


@bp.route("/me/profile", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT)
@keeps_input_on_csrf_failure
def edit_profile():
    profile = services.profile_of(current_user)
    form = ParticipantProfileForm(obj=profile)
    for entry in form.languages.entries:
        entry.form.language.choices = options([("", _("No language")), *language_choices()])
    if request.method == "GET" and profile is not None:
        form.interests.data = [i.area.value for i in profile.interests]
        form.gender.data = profile.gender.value if profile.gender else ""
        form.local_language_level.data = (
            profile.local_language_level.value if profile.local_language_level else ""
        )
        form.heard_from.data = profile.heard_from.value if profile.heard_from else ""
        form.work_permit.data = profile.work_permit.value
        form.consent_processing.data = True
        form.consent_funder.data = bool(
            services.active_consent(current_user, services.FUNDER_CONSENT)
        )
        for entry, spoken in zip(form.languages.entries, profile.languages, strict=False):
            entry.form.language.data, entry.form.level.data = spoken.language, spoken.level.value
    if form.validate_on_submit():
        values = {
            "date_of_birth": form.date_of_birth.data,
            "gender": Gender(form.gender.data) if form.gender.data else None,
            "country_of_origin": form.country_of_origin.data,
            "local_language_level": CefrLevel(form.local_language_level.data)
            if form.local_language_level.data
            else None,
            "education": (form.education.data or "").strip(),
            "work_experience": (form.work_experience.data or "").strip(),
            "work_permit": WorkPermit(form.work_permit.data),
            "work_permit_expires_on": form.work_permit_expires_on.data,
            "heard_from": HeardFrom(form.heard_from.data) if form.heard_from.data else None,
        }
        languages = [
            (entry.form.language.data, CefrLevel(entry.form.level.data))
            for entry in form.languages.entries
            if entry.form.language.data
        ]
        try:
            services.save_profile(
                current_user,
                values,
                languages,
                [Expertise(v) for v in form.interests.data or []],
                form.consent_funder.data,
            )
        except Problem as problem:
            db.session.rollback()
            form.date_of_birth.errors.append(problem.message)
        else:
            return _after_profile_saved(services.profile_of(current_user))
    return render_template(
        "participants/profile_form.html",
        form=form,
        profile=profile,
        path=journeys.profile_path(current_user, profile),
    )


def _after_profile_saved(profile: ParticipantProfile):
    """On to the next step of the path, or back to the profile once it is with the coordinator."""
    path = journeys.profile_path(current_user, profile)
    if path is None:
        flash(_("Saved."), "success")
        return redirect(url_for("participants.mine"))
    if path.current.key == "questionnaire":
        flash(_("Your profile is saved. Next step: the questionnaire."), "success")
    else:
        flash(_("Your profile is saved. Next step: send it to the coordinator."), "success")
    return redirect(url_for(path.current.endpoint))


@bp.post("/me/cv")
@roles_required(Role.PARTICIPANT)
def upload_cv():
    profile = _own_profile_or_404()
    form = CvForm()
    if form.validate_on_submit():
        upload = form.cv.data
        try:
            services.store_cv(current_user, profile, upload.filename, upload.read())
        except Problem as problem:
            form.cv.errors.append(problem.message)
        else:
            flash(_("Your CV is saved."), "success")
            return redirect(url_for("participants.mine"))
    # The reason is shown next to the file field, on the page the person uploaded from.
    return _mine_page(profile, cv_form=form), 400


def _send_cv(profile: ParticipantProfile):
    path = services.cv_path(profile)
    if path is None:
        abort(404)
    # Always a download, never shown in the browser: a file's content is not trusted.
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        # Whatever it was called when uploaded, it is a PDF and is saved as one.
        download_name=Path(profile.cv_original_name or "cv").stem + ".pdf",
    )


@bp.get("/me/cv")
@roles_required(Role.PARTICIPANT)
def my_cv():
    profile = services.profile_of(current_user)
    if profile is None or services.cv_path(profile) is None:
        flash(_("You have not uploaded a CV yet."), "info")
        return redirect(url_for("participants.mine"))
    return _send_cv(profile)


@bp.post("/me/consent/funder/withdraw")
@roles_required(Role.PARTICIPANT)
def withdraw_funder_consent():
    services.withdraw_consent(current_user, services.FUNDER_CONSENT)
    flash(_("Your consent is withdrawn. We will not share numbers about you any more."), "success")
    return redirect(url_for("participants.mine"))


@bp.post("/me/matching")
@roles_required(Role.PARTICIPANT)
def save_matching_preferences():
    profile = _own_profile_or_404()
    form = MatchingPreferencesForm()
    if form.validate_on_submit():
        try:
            services.save_matching_preferences(
                current_user,
                profile,
                form.suggest_me.data,
                form.available_from.data,
                form.available_until.data,
            )
        except Problem as problem:
            db.session.rollback()
            form.available_until.errors.append(problem.message)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("participants.mine"))
    return _mine_page(profile, matching_form=form), 400


@bp.route("/me/questionnaire", methods=["GET", "POST"])
@roles_required(Role.PARTICIPANT)
def questionnaire():
    profile = services.profile_of(current_user)
    if profile is None:
        flash(_("Please complete your profile first."), "info")
        return redirect(url_for("participants.edit_profile"))
    current = questionnaires.current(profile.site_id)
    if current is None:
        flash(_("There is no questionnaire at your site yet."), "info")
        return redirect(url_for("participants.mine"))
    missing = []
    if request.method == "POST":
        answers = {q.id: request.form.getlist(f"q-{q.id}") for q in current.questions}
        submitting = "send" in request.form
        missing = questionnaires.save_answers(profile.id, current, answers, submit=submitting)
        if not submitting:
            flash(_("Your answers are saved. You can continue later."), "success")
            return redirect(url_for("participants.questionnaire"))
        if not missing:
            if journeys.profile_path(current_user, profile) is None:
                flash(_("Your answers are saved."), "success")
            else:
                flash(
                    _("Your answers are saved. Next step: send your profile to the coordinator."),
                    "success",
                )
            return redirect(url_for("participants.mine"))
    response = questionnaires.response_for(profile.id, current)
    return render_template(
        "participants/questionnaire.html",
        questionnaire=current,
        response=response,
        missing={q.id for q in missing},
        path=journeys.profile_path(current_user, profile),
    ), (400 if missing else 200)


@bp.post("/me/submit")
@roles_required(Role.PARTICIPANT)
def submit():
    profile = _own_profile_or_404()
    return take_step(
        lambda: services.submit(current_user, profile),
        success=_("Sent. A coordinator will invite you to an interview."),
        back=url_for("participants.mine"),
    )


# Coordinators -----------------------------------------------------------------------------------


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def index():
    status = request.args.get("status") or None
    if status not in {None, *Status}:
        status = None
    page = paginate(
        services.for_coordinator(coordinated_sites(current_user), status),
        request.args.get("page", 1, type=int),
    )
    return render_template(
        "participants/index.html", page=page, chosen=status, statuses=list(Status)
    )


def _visible_or_404(profile_id: int) -> ParticipantProfile:
    profile = get_or_404(ParticipantProfile, profile_id)
    if not services.can_view(current_user, profile):
        abort(404)
    return profile


@bp.get("/<int:profile_id>")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def show(profile_id: int):
    profile = _visible_or_404(profile_id)
    interview = InterviewForm(obj=profile)
    interview.support.data = [s.kind.value for s in profile.support]
    response = questionnaires.latest_response(profile.id)
    return render_template(
        "participants/show.html",
        profile=profile,
        response=response,
        readable_answer=questionnaires.readable_answer,
        interview_form=interview,
        comment_form=ParticipantCommentForm(),
        actions=services.WORKFLOW.available(current_user, profile),
        history=history(profile),
        funder_consent=services.active_consent(profile.user, services.FUNDER_CONSENT),
        suggestion_consent=services.active_consent(profile.user, services.SUGGESTION_CONSENT),
    )


@bp.get("/<int:profile_id>/cv")
@signed_in
def cv(profile_id: int):
    profile = get_or_404(ParticipantProfile, profile_id)
    if not services.can_see_cv(current_user, profile):
        abort(404)
    return _send_cv(profile)


@bp.post("/<int:profile_id>/interview")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def save_interview(profile_id: int):
    profile = _visible_or_404(profile_id)
    form = InterviewForm()
    if form.validate_on_submit():
        services.save_interview(
            current_user,
            profile,
            form.interview_notes.data or "",
            [Support(v) for v in form.support.data or []],
        )
        flash(_("Saved."), "success")
    else:
        flash(_("Please check the interview notes."), "warning")
    return redirect(url_for("participants.show", profile_id=profile.id))


REVIEW_ACTIONS = {
    "approve": Status.APPROVED,
    "request-changes": Status.CHANGES_REQUESTED,
    "reject": Status.REJECTED,
}


@bp.post("/<int:profile_id>/review/<action>")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def review(profile_id: int, action: str):
    profile = _visible_or_404(profile_id)
    back = url_for("participants.show", profile_id=profile.id)
    return decide(services.WORKFLOW, services.review, profile, REVIEW_ACTIONS, action, back=back)


# The journey and the certificate --------------------------------------------------------------


def _own_or_coordinated_or_404(profile_id: int) -> ParticipantProfile:
    profile = get_or_404(ParticipantProfile, profile_id)
    if not services.can_view(current_user, profile):
        abort(404)
    return profile


@bp.get("/<int:profile_id>/journey")
@signed_in
def journey(profile_id: int):
    profile = _own_or_coordinated_or_404(profile_id)
    issued = certificates.latest_for(profile)
    return render_template(
        "participants/journey.html",
        journey=journeys.journey(profile),
        is_coordinator=services.is_site_coordinator(current_user, profile.site_id),
        plan=plans.view(profile),
        plan_actions=plans.actions(current_user, profile),
        certificate=issued,
        certificate_code=certificates.formatted(issued.code) if issued else None,
    )


@bp.get("/<int:profile_id>/certificate")
@signed_in
def certificate(profile_id: int):
    """The certificate as a page to print: in the participant's language, or in another one
    they choose for an employer who reads none of theirs. The controls around it stay in the
    reader's own language."""
    profile = _own_or_coordinated_or_404(profile_id)
    issued = certificates.latest_for(profile)
    chosen = request.args.get("language")
    locale = chosen if chosen in LANGUAGES else recipient_locale(profile.user)
    code = certificates.formatted(issued.code) if issued else None
    controls = render_template(
        "certificates/_controls.html",
        profile=profile,
        certificate=issued,
        is_coordinator=services.is_site_coordinator(current_user, profile.site_id),
        document_locale=locale,
    )
    with force_locale(locale):
        return render_template(
            "participants/certificate.html",
            controls=Markup(controls),
            certificate=issued,
            snapshot=certificates.snapshot_of(issued) if issued else certificates.preview(profile),
            code=code,
            check_url=url_for_email("certificates.show", code=code) if issued else None,
            locale=locale,
        )


@bp.post("/<int:profile_id>/certificate/issue")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def issue_certificate(profile_id: int):
    profile = _own_or_coordinated_or_404(profile_id)
    return take_step(
        lambda: services.issue_certificate(current_user, profile),
        success=_("The certificate is issued. The participant is told."),
        back=url_for("participants.certificate", profile_id=profile.id),
    )
