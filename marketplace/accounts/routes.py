from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from marketplace.accounts import bp, services
from marketplace.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LanguageForm,
    ReminderForm,
)
from marketplace.auth import services as auth_services
from marketplace.auth import sessions, tokens
from marketplace.authz import public, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.i18n import SESSION_KEY


@bp.route("/", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def settings():
    form = LanguageForm(language=current_user.preferred_locale)
    if form.validate_on_submit():
        services.set_language(current_user, form.language.data)
        session[SESSION_KEY] = form.language.data
        flash(_("Saved."), "success")
        return redirect(url_for("account.settings"))
    return render_template(
        "account/settings.html",
        form=form,
        reminder_form=ReminderForm(reminder_emails=current_user.reminder_emails),
    )


@bp.post("/reminders")
@signed_in
def reminders():
    form = ReminderForm()
    if form.validate_on_submit():
        services.set_reminder_emails(current_user, form.reminder_emails.data)
        flash(_("Saved."), "success")
    return redirect(url_for("account.settings"))


@bp.route("/password", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            user = current_user._get_current_object()
            remember = auth_services.current_session_remembered()
            auth_services.change_password(user, form.password.data, remember=remember)
            # The old session ended with all the others; this device continues in a new one.
            login_user(user, remember=remember)
            flash(
                _("Your password has been changed. You were logged out on all other devices."),
                "success",
            )
            return redirect(url_for("account.settings"))
    return render_template("account/change_password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@signed_in
@keeps_input_on_csrf_failure
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            services.request_email_change(current_user, form.email.data)
            flash(
                _("We have sent a link to the new address. Your address changes when you open it."),
                "info",
            )
            return redirect(url_for("account.settings"))
    return render_template("account/change_email.html", form=form)


@bp.get("/email/confirm/<token>")
@public
def confirm_new_email(token: str):
    try:
        services.confirm_email_change(token)
    except tokens.InvalidLink as error:
        if error.expired:
            flash(_("This link has expired. Please ask for a new one."), "warning")
        else:
            flash(
                _("This link is not valid or has already been used. Please ask for a new one."),
                "warning",
            )
        return redirect(url_for("account.change_email"))
    except services.EmailTaken:
        flash(_("Another account already uses this e-mail address."), "warning")
        return redirect(url_for("account.change_email"))
    flash(_("Your e-mail address has been changed."), "success")
    return redirect(url_for("account.settings"))


@bp.get("/devices")
@signed_in
def devices():
    return render_template(
        "account/devices.html",
        records=sessions.live_sessions(current_user),
        current_id=sessions.current_session_id(),
        describe=sessions.describe_device,
    )


@bp.post("/devices/<int:session_id>/end")
@signed_in
def end_device(session_id: int):
    if session_id == sessions.current_session_id():
        abort(400)
    if not auth_services.end_other_session(current_user, session_id):
        abort(404)
    flash(_("That device has been logged out."), "success")
    return redirect(url_for("account.devices"))


@bp.post("/devices/end-all")
@signed_in
def end_all_devices():
    auth_services.log_out_everywhere(current_user)
    logout_user()
    flash(_("You have been logged out on all devices, this one too."), "success")
    return redirect(url_for("auth.login"))
