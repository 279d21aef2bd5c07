from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from marketplace.forms import no_nul_bytes


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(message=_l("Please write a message.")),
            Length(max=2000, message=_l("Please use at most %(max)d characters.")),
            no_nul_bytes,
        ],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Send"))
