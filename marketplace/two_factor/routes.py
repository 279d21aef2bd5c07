from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from marketplace.audit import services as audit
from marketplace.auth import services as auth_services
from marketplace.authz import public, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.extensions import db
from marketplace.two_factor import bp, second_step, services
from marketplace.two_factor.forms import ConfirmAppForm, NewCodesForm, SecondStepForm, TurnOffForm

SETUP_SECRET = "two_factor_secret"

# Pages a person who must still set up the second step may open.
OPEN_BEFORE_SETUP = frozenset(
    {"two_factor.settings", "auth.logout", "auth.privacy", "static", "main.healthz"}
)


@bp.before_app_request
def required_setup_first():
    """Coordinators and super-admins at a site that requires the second step set it up before
    anything else."""
    if (
        current_user.is_authenticated
        and request.endpoint not in OPEN_BEFORE_SETUP
        and services.must_set_up(current_user)
    ):
        flash(
            _(
                "Your programme site asks coordinators to log in with a code from an app. "
                "Please set it up now."
            ),
            "warning",
        )
        return redirect(url_for("two_factor.settings"))
    return None


@bp.route("/", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def settings():
    user = current_user._get_current_object()
    if services.is_enabled(user):
        return render_template(
            "two_factor/settings.html",
            enabled=True,
            codes_left=services.recovery_codes_left(user),
            required=services.is_required(user),
            off_form=TurnOffForm(),
            codes_form=NewCodesForm(),
        )
    secret = session.get(SETUP_SECRET) or services.new_secret()
    session[SETUP_SECRET] = secret
    form = ConfirmAppForm()
    if form.validate_on_submit():
        if services.code_is_right_for_secret(secret, form.code.data):
            codes = services.enable(user, secret)
            session.pop(SETUP_SECRET, None)
            flash(_("The second step is on. Keep the recovery codes below."), "success")
            return render_template("two_factor/recovery_codes.html", codes=codes)
        form.code.errors.append(
            _(
                "This code is not right. Check that the time on your phone is correct "
                "and try the newest code."
            )
        )
    return render_template(
        "two_factor/settings.html",
        enabled=False,
        form=form,
        secret=secret,
        qr_code=services.qr_code(user, secret),
        required=services.is_required(user),
    )


@bp.post("/off")
@signed_in
def turn_off():
    user = current_user._get_current_object()
    form = TurnOffForm()
    if services.is_required(user):
        abort(403)
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        elif not services.check(user, form.code.data):
            form.code.errors.append(_("This code is not right."))
        else:
            services.disable(user)
            flash(_("The second step is off. You log in with your password alone."), "success")
            return redirect(url_for("account.settings"))
    return render_template(
        "two_factor/settings.html",
        enabled=True,
        codes_left=services.recovery_codes_left(user),
        required=False,
        off_form=form,
        codes_form=NewCodesForm(),
    )


@bp.post("/recovery-codes")
@signed_in
def recovery_codes():
    user = current_user._get_current_object()
    if not (NewCodesForm().validate_on_submit() and services.is_enabled(user)):
        return redirect(url_for("two_factor.settings"))
    codes = services.new_recovery_codes(user)
    flash(_("New recovery codes are ready. The old ones no longer work."), "success")
    return render_template("two_factor/recovery_codes.html", codes=codes)


@bp.route("/login", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
def second_step_page():
    found = second_step.pending()
    if found is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    record, waiting = found
    form = SecondStepForm()
    if form.validate_on_submit():
        if services.check(record.user, form.code.data):
            auth_services.finish_login(record.user)
            db.session.commit()
            second_step.done()
            record.user.session_token = waiting["token"]
            login_user(record.user, remember=waiting["remember"])
            return redirect(waiting["next"])
        audit.record(
            "login.second_step_failed", actor=record.user, obj=record.user,
            site_id=record.user.site_id,
        )  # fmt: skip
        db.session.commit()
        if second_step.wrong_code():
            flash(_("Too many wrong codes. Please log in again."), "warning")
            return redirect(url_for("auth.login"))
        form.code.errors.append(_("This code is not right."))
    return render_template("two_factor/second_step.html", form=form)
