from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from marketplace.auth.passwords import MAX_LENGTH, acceptable_password
from marketplace.forms import ChoiceField, RadioChoiceField, no_nul_bytes, options
from marketplace.sites.models import Site


def email_field() -> EmailField:
    return EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields(label=None) -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            no_nul_bytes,
            acceptable_password,
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(message=_l("Please type the password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def current_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired(message=_l("Please enter your password.")),
            Length(max=MAX_LENGTH, message=_l("A password has at most 128 characters.")),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "current-password"},
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = current_password_field()
    remember = BooleanField(_l("Keep me logged in on this device"))
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class RegistrationForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Please enter your name.")),
            Length(max=120, message=_l("A name has at most 120 characters.")),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(
                message=_l("Please enter an e-mail address like name@example.com."),
                check_deliverability=False,
            ),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "email"},
    )
    password, confirm = new_password_fields()
    role = RadioChoiceField(
        _l("I am…"),
        validators=[InputRequired(message=_l("Please choose what describes you."))],
    )
    site = ChoiceField(
        _l("Programme site"),
        coerce=int,
        validators=[InputRequired(message=_l("Please choose your programme site."))],
    )
    consent = BooleanField(
        _l("I have read the privacy notice and agree that the programme keeps my data as it says."),
        validators=[
            DataRequired(message=_l("The programme can only register you with your consent."))
        ],
    )
    submit = SubmitField(_l("Register"))

    def offer_sites(self, sites: list[Site], locale: str, wanted_slug: str | None) -> None:
        """Offer ``sites`` (sorted by name), and on a fresh form choose the likeliest one: the
        site asked for in the link, else the one whose language the page is in, else the only
        or the first one. The person can still choose another."""
        self.site.choices = options((site.id, site.name) for site in sites)
        if self.is_submitted() or not sites:
            return
        language = locale.split("_")[0]
        chosen = (
            next((site for site in sites if site.slug == wanted_slug), None)
            or next((site for site in sites if site.default_locale == language), None)
            or sites[0]
        )
        self.site.data = chosen.id

    def offer_roles(self, choices, wanted: str | None) -> None:
        """Offer the roles one may register for; a link may choose one (e.g. from a posting)."""
        self.role.choices = options(choices)
        if not self.is_submitted() and wanted in {choice.value for choice in self.role.choices}:
            self.role.data = wanted


class ResendConfirmationForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send the link again"))


class PasswordResetRequestForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"))


class PasswordResetForm(FlaskForm):
    password, confirm = new_password_fields(_l("New password"))
    submit = SubmitField(_l("Save the new password"))
