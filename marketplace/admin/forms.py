from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SearchField, StringField, SubmitField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from marketplace.forms import ChoiceField, WholeNumberField, no_nul_bytes, options
from marketplace.i18n import LANGUAGES
from marketplace.sites.models import TrainingCategory

TIME_ZONES = sorted(
    zone for zone in available_timezones() if "/" in zone and not zone.startswith("Etc")
)


class UserFilterForm(FlaskForm):
    """Search and filters in the address (GET), so a filtered list can be shared as a link."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name or e-mail"),
        validators=[
            Optional(),
            Length(max=100, message=_l("Please search with at most 100 characters.")),
            no_nul_bytes,
        ],
    )
    site = ChoiceField(_l("Programme site"), validators=[Optional()])
    role = ChoiceField(_l("Role"), validators=[Optional()])
    state = ChoiceField(_l("Account"), validators=[Optional()])
    submit = SubmitField(_l("Search"))


class GrantRoleForm(FlaskForm):
    grant = ChoiceField(
        _l("Role to give"), validators=[InputRequired(message=_l("Please choose a role."))]
    )
    submit = SubmitField(_l("Give role"))


class SiteForm(FlaskForm):
    name = StringField(
        _l("Name of the site"),
        validators=[
            DataRequired(message=_l("Please enter the name of the site.")),
            Length(max=120, message=_l("The name of a site has at most 120 characters.")),
            no_nul_bytes,
        ],
    )
    slug = StringField(
        _l("Short name in web addresses"),
        validators=[
            DataRequired(message=_l("Please enter a short name.")),
            Regexp(
                r"^[a-z0-9-]{2,40}$",
                message=_l("Use 2 to 40 small Latin letters, digits or hyphens."),
            ),
        ],
    )
    country_code = StringField(
        _l("Country code"),
        validators=[
            DataRequired(message=_l("Please enter the country code.")),
            Regexp(r"^[A-Za-z]{2}$", message=_l("Use the two-letter code, for example LV or SE.")),
        ],
    )
    timezone = ChoiceField(
        _l("Time zone"),
        choices=options((zone, zone) for zone in TIME_ZONES),
        validators=[AnyOf(TIME_ZONES, message=_l("Please choose a time zone from the list."))],
    )
    default_locale = ChoiceField(
        _l("Default language"),
        choices=options(LANGUAGES.items()),
        validators=[AnyOf(list(LANGUAGES), message=_l("Please choose a language from the list."))],
    )
    local_locale = ChoiceField(
        _l("Local language"),
        choices=options(LANGUAGES.items()),
        validators=[AnyOf(list(LANGUAGES), message=_l("Please choose a language from the list."))],
    )
    min_participant_age = WholeNumberField(
        _l("Youngest age of participants"),
        default=18,
        validators=[
            InputRequired(message=_l("Please enter an age.")),
            NumberRange(min=0, max=120, message=_l("Enter a whole number from 0 to 120.")),
        ],
    )
    max_participant_age = WholeNumberField(
        _l("Oldest age of participants"),
        default=30,
        validators=[
            InputRequired(message=_l("Please enter an age.")),
            NumberRange(min=0, max=120, message=_l("Enter a whole number from 0 to 120.")),
        ],
    )
    max_open_applications = WholeNumberField(
        _l("Open applications a participant may have at once"),
        default=5,
        validators=[
            InputRequired(message=_l("Please enter a number.")),
            NumberRange(min=1, max=50, message=_l("Enter a whole number from 1 to 50.")),
        ],
    )
    retention_months = WholeNumberField(
        _l("Months without a login before a participant who never had a placement is anonymised"),
        validators=[
            Optional(),
            NumberRange(min=6, max=240, message=_l("Enter a whole number from 6 to 240.")),
        ],
    )
    staff_second_factor = BooleanField(
        _l("Coordinators and super-admins must log in with a code from an app too")
    )
    submit = SubmitField(_l("Save"))

    def validate_max_participant_age(self, field):
        if (
            field.data is not None
            and self.min_participant_age.data is not None
            and (field.data < self.min_participant_age.data)
        ):
            raise ValidationError(_l("The oldest age cannot be below the youngest age."))


def hours_field(category: TrainingCategory) -> WholeNumberField:
    return WholeNumberField(
        category.label,
        default=0,
        validators=[
            InputRequired(message=_l("Please enter the planned hours (0 if none).")),
            NumberRange(min=0, max=100_000, message=_l("Enter a whole number from 0 to 100000.")),
        ],
    )


class SiteWithPlanForm(SiteForm):
    """The site form with one field of planned hours per training category."""


for _category in TrainingCategory:
    setattr(SiteWithPlanForm, f"hours_{_category.value}", hours_field(_category))


class ConfirmForm(FlaskForm):
    """A confirmation button; the CSRF token is its only field."""
