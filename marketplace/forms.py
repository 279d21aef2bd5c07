"""Pieces shared by every form."""

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def no_nul_bytes(_form, field):
    """PostgreSQL rejects NUL in text; say so kindly instead of failing in the database."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise ValidationError(_l("This field contains a character that is not allowed."))


# The largest id a row can have (PostgreSQL's integer); SQLite fails on a number past 2**63.
LARGEST_ID = 2**31 - 1


def posted_id(name: str) -> int | None:
    """The row id sent in a form field, or None when it cannot be one."""
    value = request.form.get(name, type=int)
    return value if value is not None and 0 < value <= LARGEST_ID else None


# WTForms' own messages for a value it cannot even read are not translated into Latvian, so the
# fields that produce such messages say them in our words.
NOT_A_CHOICE = _l("Please choose one of the options.")


def options(pairs) -> list[SelectChoice]:
    """Choices for a select or radio field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _chosen_value_is_offered(field) -> bool:
    return field.data in {choice.value for choice in field.choices}


class ChoiceField(SelectField):
    def process_formdata(self, valuelist):
        # Blank means nothing chosen. Optional() takes "  " for empty but would keep it as the
        # value, which is none of the options.
        valuelist = ["" if not value.strip() else value for value in valuelist]
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(NOT_A_CHOICE) from error

    def pre_validate(self, form):
        if not _chosen_value_is_offered(self):
            raise ValidationError(NOT_A_CHOICE)


class RadioChoiceField(RadioField):
    def pre_validate(self, form):
        if not _chosen_value_is_offered(self):
            raise ValidationError(NOT_A_CHOICE)


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        try:
            self.data = int(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Please enter a whole number, for example 40.")) from error


class DateInputField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Please enter a date, for example 2027-03-01.")) from error


class TimeInputField(TimeField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Please enter a time, for example 09:30.")) from error


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, each with its own label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        offered = {choice.value for choice in self.choices}
        if any(value not in offered for value in self.data or []):
            raise ValidationError(NOT_A_CHOICE)
