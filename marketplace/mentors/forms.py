from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, FormField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.forms import (
    CheckboxesField,
    ChoiceField,
    DateInputField,
    TimeInputField,
    WholeNumberField,
    no_nul_bytes,
    options,
)
from marketplace.languages import CefrLevel
from marketplace.mentors.models import MAX_MENTEES_LIMIT, Expertise

TOO_LONG = _l("Please use at most %(max)d characters.")


class LanguageLevelForm(FlaskForm):
    class Meta:
        csrf = False

    language = ChoiceField(_l("Language"), validators=[Optional()])
    level = ChoiceField(
        _l("Level"),
        choices=options((level.value, level.label) for level in CefrLevel),
        default=CefrLevel.B1.value,
    )


class MentorProfileForm(FlaskForm):
    expertise = CheckboxesField(
        _l("What can you teach?"),
        choices=options((area.value, area.label) for area in Expertise),
        validators=[InputRequired(message=_l("Please choose at least one area."))],
    )
    languages = FieldList(FormField(LanguageLevelForm), min_entries=4, max_entries=4)
    organisation = ChoiceField(_l("Organisation you work for (optional)"), coerce=int)
    max_mentees = WholeNumberField(
        _l("How many mentees at the same time?"),
        default=2,
        validators=[
            InputRequired(message=_l("Please enter a number.")),
            NumberRange(
                min=1, max=MAX_MENTEES_LIMIT, message=_l("Enter a whole number from 1 to 10.")
            ),
        ],
    )
    bio = TextAreaField(
        _l("About you (shown to coordinators, employers and your mentees)"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 5},
    )
    submit = SubmitField(_l("Save"))

    def validate_languages(self, field):
        chosen = [entry.form.language.data for entry in field.entries if entry.form.language.data]
        if not chosen:
            raise ValidationError(_l("Please add at least one language you speak."))
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_l("Each language can be listed only once."))


class WindowForm(FlaskForm):
    weekday = ChoiceField(_l("Day of the week"), coerce=int)
    start_time = TimeInputField(
        _l("From"),
        validators=[InputRequired(message=_l("Please enter a time, for example 09:30."))],
    )
    end_time = TimeInputField(
        _l("Until"),
        validators=[InputRequired(message=_l("Please enter a time, for example 09:30."))],
    )
    valid_from = DateInputField(
        _l("First week"),
        validators=[InputRequired(message=_l("Please enter a date, for example 2027-03-01."))],
    )
    valid_until = DateInputField(
        _l("Last week"),
        validators=[InputRequired(message=_l("Please enter a date, for example 2027-03-01."))],
    )
    submit = SubmitField(_l("Add this time"))

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("The end must be later than the start."))

    def validate_valid_until(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError(_l("The last week cannot be before the first week."))


class UnavailabilityForm(FlaskForm):
    starts_on = DateInputField(
        _l("Away from"),
        validators=[InputRequired(message=_l("Please enter a date, for example 2027-03-01."))],
    )
    ends_on = DateInputField(
        _l("Away until"),
        validators=[InputRequired(message=_l("Please enter a date, for example 2027-03-01."))],
    )
    note = StringField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=200, message=TOO_LONG), no_nul_bytes],
    )
    submit = SubmitField(_l("Add"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class MentorSearchForm(FlaskForm):
    class Meta:
        csrf = False

    expertise = ChoiceField(_l("Area"), validators=[Optional()])
    language = ChoiceField(_l("Language"), validators=[Optional()])
    min_level = ChoiceField(_l("At least level"), validators=[Optional()])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=120)])
    week_of = DateInputField(_l("Free in the week of"), validators=[Optional()])
    free_only = BooleanField(_l("Only mentors who can take a new mentee"))
    submit = SubmitField(_l("Search"))
