from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SearchField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from marketplace.forms import ChoiceField, no_nul_bytes, options
from marketplace.organisations.models import Sector


def text(label, max_length: int, required: bool = True, message=None):
    validators = [
        Length(max=max_length, message=_l("Please use at most %(max)d characters.")),
        no_nul_bytes,
    ]
    validators.insert(0, DataRequired(message=message) if required else Optional())
    return StringField(label, validators=validators)


class OrganisationForm(FlaskForm):
    name = text(_l("Name of the organisation"), 160, message=_l("Please enter the name."))
    registration_number = text(
        _l("Registration number"), 40, message=_l("Please enter the registration number.")
    )
    sector = ChoiceField(_l("Sector"), choices=options((s.value, s.label) for s in Sector))
    address = text(_l("Address"), 200, message=_l("Please enter the address."))
    city = text(_l("City"), 80, message=_l("Please enter the city."))
    site = ChoiceField(_l("Programme site"), coerce=int)
    contact_name = text(_l("Contact person"), 120, message=_l("Please enter a contact person."))
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(
                message=_l("Please enter an e-mail address like name@example.com."),
                check_deliverability=False,
            ),
        ],
    )
    contact_phone = text(_l("Contact phone"), 40, required=False)
    description = TextAreaField(
        _l("About the organisation (shown to applicants)"),
        validators=[
            Optional(),
            Length(max=3000, message=_l("Please use at most %(max)d characters.")),
            no_nul_bytes,
        ],
    )
    submit = SubmitField(_l("Save"))


class JoinSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(
        _l("Name of the organisation"),
        validators=[
            Optional(),
            Length(max=100, message=_l("Please use at most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Search"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the employer sees it)"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Please use at most %(max)d characters.")),
            no_nul_bytes,
        ],
    )
