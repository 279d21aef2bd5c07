from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from marketplace.auth.forms import current_password_field
from marketplace.forms import no_nul_bytes


def code_field(label):
    return StringField(
        label,
        validators=[
            DataRequired(message=_l("Please enter the code.")),
            Length(max=20, message=_l("A code has at most 20 characters.")),
            no_nul_bytes,
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class ConfirmAppForm(FlaskForm):
    code = code_field(_l("The six-digit code your app shows"))
    submit = SubmitField(_l("Turn on"))


class SecondStepForm(FlaskForm):
    code = code_field(_l("Code from your app, or a recovery code"))
    submit = SubmitField(_l("Log in"))


class TurnOffForm(FlaskForm):
    current_password = current_password_field(_l("Your password"))
    code = code_field(_l("Code from your app, or a recovery code"))
    submit = SubmitField(_l("Turn off"))


class NewCodesForm(FlaskForm):
    submit = SubmitField(_l("Make new recovery codes"))
