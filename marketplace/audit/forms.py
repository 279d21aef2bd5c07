from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SubmitField
from wtforms.validators import Length, Optional, ValidationError

from marketplace.forms import ChoiceField, DateInputField, no_nul_bytes


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
    object_type = ChoiceField(_l("Object"), validators=[Optional()])
    action = ChoiceField(_l("Action"), validators=[Optional()])
    date_from = DateInputField(_l("First day"), validators=[Optional()])
    date_to = DateInputField(_l("Last day"), validators=[Optional()])
    submit = SubmitField(_l("Show"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
