from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from marketplace.auth import attempts, bp, services, sessions, tokens
from marketplace.auth.forms import (
    LoginForm,
    LogoutForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RegistrationForm,
    ResendConfirmationForm,
)
from marketplace.authz import public, signed_in
from marketplace.csrf import unsent
from marketplace.errors import keeps_input_on_csrf_failure
from marketplace.i18n import SESSION_KEY
from marketplace.rate_limits import ConfiguredLimit, limited, per_address, within_allowance
from marketplace.redirects import is_own_path, safe_next
from marketplace.sites.services import all_sites
from marketplace.two_factor import second_step
from marketplace.two_factor import services as two_factor

REGISTRATIONS = ConfiguredLimit("REGISTRATIONS_PER_IP", per_address)
RESET_REQUESTS = ConfiguredLimit("PASSWORD_RESET_REQUESTS_PER_IP", per_address)
# The page a person registered from, to return to after confirming the address.
AFTER_CONFIRMATION = "after_confirmation"


@bp.app_context_processor
def login_history() -> dict:
    return {"previous_login_at": sessions.previous_login_at}


@bp.after_request
def audit_throttled_login(response):
    """A login post the limits refused (429, before the view or in it) is a failed login too.
    A post with a forged token proves nothing and writes nothing; and past an allowance per
    address, a flood of refused posts fills no table."""
    if (
        request.endpoint == "auth.login"
        and request.method == "POST"
        and response.status_code == 429
        and not unsent()
        and within_allowance("THROTTLED_LOGINS_AUDITED_PER_IP", per_address())
    ):
        services.record_throttled_login(request.form.get("email", ""))
    return response


def _fresh_session_for_login() -> None:
    """Drop everything from the anonymous session but the chosen language (no fixation)."""
    locale = session.get(SESSION_KEY)
    session.clear()
    if locale:
        session[SESSION_KEY] = locale


@bp.route("/login", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
@limited(attempts.FAILED_LOGINS)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        places = attempts.take()
        if places is None:
            abort(429)
        outcome, user = services.authenticate(form.email.data, form.password.data)
        # Only failures count; so does a right password that still needs its code, or someone
        # who has the password could guess at codes through unlimited fresh logins.
        needs_code = outcome is services.LoginOutcome.OK and two_factor.is_enabled(user)
        if outcome is not services.LoginOutcome.WRONG and not needs_code:
            attempts.give_back(places)
        if outcome is services.LoginOutcome.OK:
            _fresh_session_for_login()
            next_page = safe_next(request.args.get("next"))
            if needs_code:
                services.open_session(user, remember=form.remember.data, second_step=True)
                second_step.begin(user, form.remember.data, next_page)
                return redirect(url_for("two_factor.second_step_page"))
            services.open_session(user, remember=form.remember.data)
            login_user(user, remember=form.remember.data)
            return redirect(next_page)
        if outcome is services.LoginOutcome.UNCONFIRMED:
            flash(
                _(
                    "Please confirm your e-mail address first. Open the link we sent you, "
                    "or ask for a new link below."
                ),
                "warning",
            )
            return redirect(url_for("auth.resend_confirmation"))
        form.password.errors.append(_("The e-mail or password is not correct."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    if LogoutForm().validate_on_submit():
        services.log_out(current_user)
        logout_user()
        flash(_("You have logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
@limited(REGISTRATIONS)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegistrationForm()
    sites = {site.id: site for site in all_sites()}
    form.offer_roles(
        ((r.value, label) for r, label in services.REGISTRATION_CHOICES), request.args.get("role")
    )
    form.offer_sites(list(sites.values()), str(get_locale()), request.args.get("site"))
    if form.validate_on_submit():
        services.register(
            email=form.email.data,
            password=form.password.data,
            display_name=form.display_name.data,
            role=services.Role(form.role.data),
            site=sites[form.site.data],
            locale=str(get_locale()),
        )
        if is_own_path(request.args.get("next")):
            # Once the address is confirmed in this browser, back to the page the person came from.
            session[AFTER_CONFIRMATION] = request.args["next"]
        # The same answer whether or not the address already had an account.
        return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form)


@bp.get("/register/check-your-email")
@public
def check_email():
    return render_template("auth/check_email.html")


@bp.get("/privacy")
@public
def privacy():
    return render_template("auth/privacy.html", version=services.PRIVACY_NOTICE_VERSION)


@bp.get("/confirm/<token>")
@public
def confirm_email(token: str):
    try:
        services.confirm_email(token)
    except tokens.InvalidLink as error:
        flash(_link_problem(error), "warning")
        return redirect(url_for("auth.resend_confirmation"))
    flash(_("Thank you. Your e-mail address is confirmed."), "success")
    back_to = session.pop(AFTER_CONFIRMATION, None)
    if current_user.is_authenticated:
        return redirect(safe_next(back_to))
    return redirect(url_for("auth.login", next=back_to if is_own_path(back_to) else None))


@bp.route("/confirm/resend", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
@limited(REGISTRATIONS)
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        return redirect(url_for("auth.check_email"))
    return render_template("auth/resend_confirmation.html", form=form)


def _link_problem(error: tokens.InvalidLink) -> str:
    if error.expired:
        return _("This link has expired. Please ask for a new one.")
    return _("This link is not valid or has already been used. Please ask for a new one.")


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@keeps_input_on_csrf_failure
@limited(RESET_REQUESTS)
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
    except tokens.InvalidLink as error:
        flash(_link_problem(error), "warning")
        return redirect(url_for("auth.forgot_password"))
    form = PasswordResetForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your password has been changed. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
