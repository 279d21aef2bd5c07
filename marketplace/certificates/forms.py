from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from marketplace.certificates.services import LONGEST_TYPED


class VerifyForm(FlaskForm):
    """The public check; the code is in the address, so a check can be shared as a link."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[
            InputRequired(message=_l("Please enter the code printed on the certificate.")),
            Length(max=LONGEST_TYPED, message=_l("Please use at most %(max)d characters.")),
        ],
        # Codes are capitals and digits: no suggestions, no spelling marks.
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
