from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.events.models import EventKind
from marketplace.forms import (
    ChoiceField,
    DateInputField,
    TimeInputField,
    WholeNumberField,
    no_nul_bytes,
    options,
)
from marketplace.training.forms import TITLE_LENGTH, TitlesInOtherLanguages

TOO_LONG = _l("Please use at most %(max)d characters.")
TIME_NEEDED = _l("Please enter a time, for example 09:30.")


class EventForm(TitlesInOtherLanguages, FlaskForm):
    site = ChoiceField(_l("Programme site"), coerce=int)
    kind = ChoiceField(
        lazy_pgettext("event", "Kind"), choices=options((k.value, k.label) for k in EventKind)
    )
    title = StringField(
        lazy_pgettext("event", "Title"),
        validators=[
            DataRequired(message=lazy_pgettext("event", "Please enter a title.")),
            Length(max=TITLE_LENGTH, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=5000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 3},
    )
    venue = StringField(
        _l("Address"),
        validators=[
            DataRequired(message=_l("Please enter the address.")),
            Length(max=200, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    day = DateInputField(
        _l("Date"), validators=[InputRequired(message=_l("Please enter the date."))]
    )
    starts = TimeInputField(_l("Starts at"), validators=[InputRequired(message=TIME_NEEDED)])
    ends = TimeInputField(_l("Ends at"), validators=[InputRequired(message=TIME_NEEDED)])
    capacity = WholeNumberField(
        _l("Number of places"),
        validators=[
            InputRequired(message=_l("Please enter the number of places.")),
            NumberRange(min=1, max=500, message=_l("Enter a whole number from 1 to 500.")),
        ],
    )
    public = BooleanField(
        _l("Also list it in the open data API, for partners' public calendars"),
        description=_l("Its title, kind, address, times and free places; never who signs up."),
    )
    submit = SubmitField(_l("Publish the event"))

    def validate_ends(self, field):
        if field.data and self.starts.data and field.data <= self.starts.data:
            raise ValidationError(_l("The end must be later than the start."))
