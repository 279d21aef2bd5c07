from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SubmitField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import HiddenInput

from marketplace.forms import (
    LARGEST_ID,
    NOT_A_CHOICE,
    ChoiceField,
    DateInputField,
    WholeNumberField,
    no_nul_bytes,
)


class AuditFilterForm(FlaskForm):
    """Filters in the address (GET), so a filtered log can be shared as a link."""

    class Meta:
        csrf = False

    person = SearchField(
        _l("Person (name or e-mail)"),
        validators=[
            Optional(),
            Length(max=100, message=_l("Please search with at most 100 characters.")),
            no_nul_bytes,
        ],
    )
    # One person's entries, by account: what a person's page links to (a name or an address
    # typed into ``person`` can match several people).
    actor = WholeNumberField(
        widget=HiddenInput(),
        validators=[Optional(), NumberRange(min=1, max=LARGEST_ID, message=NOT_A_CHOICE)],
    )
    object_type = ChoiceField(_l("Object"), validators=[Optional()])
    action = ChoiceField(_l("Action"), validators=[Optional()])
    date_from = DateInputField(_l("First day"), validators=[Optional()])
    date_to = DateInputField(_l("Last day"), validators=[Optional()])
    submit = SubmitField(_l("Show"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
