from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.authz import get_or_404, roles_required, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.extensions import db
from marketplace.pagination import paginate
from marketplace.participants import services as participants
from marketplace.privacy import bp, erasure, export
from marketplace.privacy.forms import CancelRequestForm, ErasureRequestForm
from marketplace.problems import Problem


def _download(user: User):
    now = datetime.now(UTC)
    content = export.archive(user, now)
    audit.record(
        "privacy.exported", actor=current_user, obj=user, site_id=user.site_id,
        summary=f"data of #{user.id}",
    )  # fmt: skip
    db.session.commit()
    name = f"data-{user.id}-{now:%Y-%m-%d}.zip"
    return (
        content,
        200,
        {
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/my-data")
@signed_in
def my_data():
    return _download(current_user._get_current_object())


def _decided_by_me_or_404(user_id: int) -> User:
    user = get_or_404(User, user_id)
    if not erasure.may_decide(current_user, user):
        abort(404)
    return user


@bp.get("/people/<int:user_id>/data")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def their_data(user_id: int):
    return _download(_decided_by_me_or_404(user_id))


@bp.route("/erasure", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def ask_erasure():
    user = current_user._get_current_object()
    form = ErasureRequestForm()
    if not erasure.is_pending(user) and form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            erasure.request_erasure(user)
            flash(_("Your request was sent. A coordinator will confirm it."), "success")
            return redirect(url_for("privacy.ask_erasure"))
    return render_template(
        "privacy/ask_erasure.html", form=form, cancel_form=CancelRequestForm(),
        pending=erasure.is_pending(user),
    )  # fmt: skip


@bp.post("/erasure/cancel")
@signed_in
def cancel_erasure():
    if CancelRequestForm().validate_on_submit():
        erasure.cancel_request(current_user._get_current_object())
        flash(_("Your request was withdrawn. Nothing was erased."), "success")
    return redirect(url_for("privacy.ask_erasure"))


@bp.get("/requests")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def requests():
    page = paginate(erasure.pending_requests(current_user), request.args.get("page", 1, type=int))
    return render_template("privacy/requests.html", page=page)


@bp.route("/requests/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def decide(user_id: int):
    user = _decided_by_me_or_404(user_id)
    if not erasure.is_pending(user):
        flash(_("No request to erase this person's data is waiting."), "info")
        return redirect(url_for("privacy.requests"))
    if request.method == "POST" and request.form.get("confirmed") == "yes":
        try:
            erasure.erase(current_user, user)
        except Problem as problem:
            flash(str(problem), "warning")
        else:
            flash(_("The data was erased. The figures in the indicators are kept."), "success")
        return redirect(url_for("privacy.requests"))
    return render_template(
        "privacy/confirm_erasure.html",
        person=user,
        profile=participants.profile_of(user),
        running_placements=erasure.running_placements(user),
    )
