from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, Length

from marketplace.auth.forms import current_password_field, new_password_fields
from marketplace.forms import ChoiceField, no_nul_bytes, options
from marketplace.i18n import LANGUAGES


class LanguageForm(FlaskForm):
    language = ChoiceField(
        _l("Language of the pages and of your e-mails"),
        choices=options(LANGUAGES.items()),
        validators=[AnyOf(list(LANGUAGES), message=_l("Please choose a language from the list."))],
    )
    submit = SubmitField(_l("Save"))


class ReminderForm(FlaskForm):
    reminder_emails = BooleanField(_l("Send me reminders by e-mail too"))
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(FlaskForm):
    current_password = current_password_field(_l("Current password"))
    password, confirm = new_password_fields(_l("New password"))
    submit = SubmitField(_l("Change password"))


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New e-mail address"),
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
    current_password = current_password_field(_l("Current password"))
    submit = SubmitField(_l("Send a confirmation link"))
