from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from marketplace.forms import no_nul_bytes

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Please enter your password.")),
            Length(max=128, message=_l("A password has at most 128 characters.")),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send me a link"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN_LENGTH,
                max=PASSWORD_MAX_LENGTH,
                message=_l("A password has between 8 and 128 characters."),
            ),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(message=_l("Please type the new password again.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save the new password"))
