from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from marketplace.auth import bp, services
from marketplace.auth.forms import (
    LoginForm,
    LogoutForm,
    PasswordResetForm,
    PasswordResetRequestForm,
)
from marketplace.authz import public, signed_in
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.extensions import limiter
from marketplace.redirects import safe_next


def _login_failed() -> bool:
    return g.get("login_failed", False)


def _per_ip_failure_limit() -> str:
    return current_app.config["LOGIN_FAILURES_PER_IP"]


@bp.route("/login", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
@limiter.limit(
    _per_ip_failure_limit, methods=["POST"], deduct_when=lambda _response: _login_failed()
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        g.login_failed = True
        form.password.errors.append(_("The e-mail or password is not correct."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    if LogoutForm().validate_on_submit():
        services.record_logout(current_user)
        logout_user()
        flash(_("You have logged out."), "success")
    return redirect(url_for("main.home"))


def _reset_requests_per_ip() -> str:
    return current_app.config["PASSWORD_RESET_REQUESTS_PER_IP"]


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
@limiter.limit(_reset_requests_per_ip, methods=["POST"])
def forgot_password():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        # The same answer whether or not the address has an account, so nobody can probe for one.
        flash(
            _(
                "If an account uses this address, we have sent it a link to choose a new "
                "password. Please check your e-mail."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except services.InvalidResetLink as error:
        if error.expired:
            flash(_("This link has expired. Please ask for a new one."), "warning")
        else:
            flash(
                _("This link is not valid or has already been used. Please ask for a new one."),
                "warning",
            )
        return redirect(url_for("auth.forgot_password"))
    form = PasswordResetForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        flash(_("Your password has been changed. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
