from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from marketplace.applications.models import DeclineReason, MentorDeclineReason
from marketplace.forms import ChoiceField, no_nul_bytes, options

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
    reason = ChoiceField(
        _l("Reason (the applicant sees it)"),
        choices=options((r.value, r.label) for r in DeclineReason),
    )
    note = StringField(
        _l("A kind note (optional)"),
        validators=[Optional(), Length(max=1000, message=TOO_LONG), no_nul_bytes],
    )
    submit = SubmitField(_l("Decline"))


class OfferForm(FlaskForm):
    mentor = ChoiceField(_l("Mentor"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Make an offer"))


class MentorDeclineForm(FlaskForm):
    reason = ChoiceField(
        _l("Reason"), choices=options((r.value, r.label) for r in MentorDeclineReason)
    )
    submit = SubmitField(_l("No, I cannot mentor"))
