from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.applications.models import DeclineReason, MentorDeclineReason
from marketplace.applications.services import answer_by_problem
from marketplace.forms import (
    LARGEST_ID,
    ChoiceField,
    DateInputField,
    WholeNumberField,
    no_nul_bytes,
    options,
)

TOO_LONG = _l("Please use at most %(max)d characters.")


class ApplyForm(FlaskForm):
    motivation = TextAreaField(
        _l("Why do you want this place? (a few sentences)"),
        validators=[
            DataRequired(message=_l("Please write a few words about why you apply.")),
            Length(max=2000, message=TOO_LONG),
            no_nul_bytes,
        ],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Apply"))


class DeclineForm(FlaskForm):
    # No reason is chosen for the employer: the list starts at "Choose…".
    reason = ChoiceField(
        _l("Reason (the applicant sees it)"),
        choices=options([("", _l("Choose…")), *((r.value, r.label) for r in DeclineReason)]),
        validators=[DataRequired(message=_l("Please choose a reason."))],
    )
    note = StringField(
        _l("A kind note (optional)"),
        validators=[Optional(), Length(max=1000, message=TOO_LONG), no_nul_bytes],
    )
    submit = SubmitField(_l("Decline"))


class MentorChoiceField(ChoiceField):
    """The mentor named in the offer. The offer itself checks that they have a free place and
    time, and says so when they have not."""

    def process_formdata(self, valuelist):
        value = valuelist[0].strip() if valuelist else ""
        self.data = (
            int(value)
            if value.isascii() and value.isdigit() and 0 < int(value) <= LARGEST_ID
            else None
        )

    def pre_validate(self, form):
        pass


class OfferForm(FlaskForm):
    """The offer and its terms, prefilled from the posting; the participant reads them before
    accepting."""

    mentor = MentorChoiceField(_l("Mentor"), coerce=int, validators=[Optional()])
    # The mentors offered, best fit first, with reasons (set by the view).
    mentor_fits: list = []
    start_date = DateInputField(
        _l("Start date"), validators=[InputRequired(message=_l("Please enter the start date."))]
    )
    end_date = DateInputField(_l("End date (optional)"), validators=[Optional()])
    hours_per_week = WholeNumberField(
        _l("Hours per week"),
        validators=[
            InputRequired(message=_l("Please enter the hours per week.")),
            NumberRange(min=1, max=60, message=_l("Enter a whole number from 1 to 60.")),
        ],
    )
    place = StringField(
        _l("Place (address)"),
        validators=[
            DataRequired(message=_l("Please enter where the work is.")),
            Length(max=200, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    contact = StringField(
        _l("Contact person (name, phone or e-mail)"),
        validators=[
            DataRequired(message=_l("Please name the person to contact.")),
            Length(max=200, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    message = TextAreaField(
        _l("Message to the applicant (optional)"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 3},
    )
    # Optional: an employer may clear it and ask for no particular day.
    answer_by = DateInputField(_l("Please answer by"), validators=[Optional()])
    submit = SubmitField(_l("Make an offer"))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today  # the site's date, which the answer-by day is checked against

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def validate_answer_by(self, field):
        problem = answer_by_problem(field.data, self.start_date.data, self.today)
        if problem:
            raise ValidationError(problem)


class MentorDeclineForm(FlaskForm):
    reason = ChoiceField(
        _l("Reason"), choices=options((r.value, r.label) for r in MentorDeclineReason)
    )
    submit = SubmitField(_l("No, I cannot mentor"))
