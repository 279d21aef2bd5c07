from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.forms import ChoiceField, no_nul_bytes


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("Who uses it"),
        description=_l("For example: the city council's integration dashboard."),
        validators=[
            DataRequired(message=_l("Please say who will use the token.")),
            Length(max=120, message=_l("Please keep it to at most 120 characters.")),
            no_nul_bytes,
        ],
    )
    site = ChoiceField(_l("Site it may read"), validators=[Optional()])
    submit = SubmitField(_l("Create token"))


class RevokeForm(FlaskForm):
    """The form token only: the page before says what revoking does."""
