from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.forms import ChoiceField, DateInputField, WholeNumberField, no_nul_bytes, options
from marketplace.placements.models import Outcome

TOO_LONG = _l("Please use at most %(max)d characters.")


class SessionForm(FlaskForm):
    held_on = DateInputField(
        _l("Date"), validators=[InputRequired(message=_l("Please enter the date."))]
    )
    minutes = WholeNumberField(
        _l("Minutes"),
        validators=[
            InputRequired(message=_l("Please enter how many minutes.")),
            NumberRange(min=5, max=600, message=_l("Enter a whole number from 5 to 600.")),
        ],
    )
    topic = StringField(
        _l("Topic"),
        validators=[
            DataRequired(message=_l("Please write the topic.")),
            Length(max=200, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    notes = TextAreaField(
        _l("Notes (optional)"),
        validators=[Optional(), Length(max=3000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Log the session"))


class DisputeForm(FlaskForm):
    note = StringField(
        _l("What is not right?"),
        validators=[Optional(), Length(max=1000, message=TOO_LONG), no_nul_bytes],
    )


class EndForm(FlaskForm):
    reason = StringField(
        _l("Why did it end early? (only for an early end)"),
        validators=[Optional(), Length(max=1000, message=TOO_LONG), no_nul_bytes],
    )


class OutcomeForm(FlaskForm):
    # No outcome is chosen for the person: the list starts at "Choose…".
    outcome = ChoiceField(
        _l("Outcome"),
        choices=options([("", _l("Choose…")), *((o.value, o.label) for o in Outcome)]),
        validators=[DataRequired(message=_l("Please choose the outcome."))],
    )
    outcome_date = DateInputField(_l("Date (for a job offer or hiring)"), validators=[Optional()])
    offer_accepted = BooleanField(_l("The job offer was accepted"))
    submit = SubmitField(_l("Save the outcome"))
