from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from marketplace.auth.forms import current_password_field


class ErasureRequestForm(FlaskForm):
    understood = BooleanField(
        _l("I understand that my account and what I wrote will be erased and cannot be restored."),
        validators=[DataRequired(message=_l("Please tick the box to confirm."))],
    )
    current_password = current_password_field(_l("Your password"))
    submit = SubmitField(_l("Ask for erasure"))


class CancelRequestForm(FlaskForm):
    submit = SubmitField(_l("Withdraw my request"))
