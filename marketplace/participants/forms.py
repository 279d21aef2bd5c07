from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, FieldList, FormField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from marketplace.forms import (
    CheckboxesField,
    ChoiceField,
    DateInputField,
    RadioChoiceField,
    no_nul_bytes,
    options,
)
from marketplace.languages import CefrLevel, country_choices
from marketplace.mentors.models import Expertise
from marketplace.participants.models import Gender, HeardFrom, Support, WorkPermit

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


class ParticipantProfileForm(FlaskForm):
    date_of_birth = DateInputField(
        _l("Date of birth"),
        validators=[InputRequired(message=_l("Please enter your date of birth."))],
    )
    gender = ChoiceField(_l("Gender (optional)"), validators=[Optional()])
    country_of_origin = ChoiceField(
        _l("Country of origin"),
        validators=[InputRequired(message=_l("Please choose your country of origin."))],
    )
    languages = FieldList(FormField(LanguageLevelForm), min_entries=4, max_entries=4)
    local_language_level = ChoiceField(_l("Your level in the local language"))
    education = TextAreaField(
        _l("Education"),
        validators=[Optional(), Length(max=3000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 3},
    )
    work_experience = TextAreaField(
        _l("Work experience"),
        validators=[Optional(), Length(max=3000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 3},
    )
    interests = CheckboxesField(
        _l("Which work interests you?"),
        choices=options((area.value, area.label) for area in Expertise),
        # No Optional(): it would wipe out the error for a value that is not offered.
    )
    work_permit = RadioChoiceField(
        _l("Work permit"),
        choices=options((permit.value, permit.label) for permit in WorkPermit),
        validators=[InputRequired(message=_l("Please choose one of the options."))],
    )
    work_permit_expires_on = DateInputField(
        _l("Work permit valid until (if you have one)"), validators=[Optional()]
    )
    heard_from = ChoiceField(
        _l("How did you hear about the programme? (optional)"), validators=[Optional()]
    )
    consent_processing = BooleanField(
        _l(
            "I agree that the programme keeps and uses my data to support me, as the privacy "
            "notice says."
        ),
        validators=[
            DataRequired(message=_l("The programme can only support you with your consent."))
        ],
    )
    consent_funder = BooleanField(
        _l(
            "I also agree that numbers about me, without my name, may be shared with the "
            "programme's funders. (Optional. You can withdraw this at any time.)"
        )
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gender.choices = options(
            [("", _l("Not given")), *((g.value, g.label) for g in Gender)]
        )
        self.country_of_origin.choices = options([("", _l("Choose…")), *country_choices()])
        self.local_language_level.choices = options(
            [("", _l("I do not speak it yet")), *((lv.value, lv.label) for lv in CefrLevel)]
        )
        self.heard_from.choices = options(
            [("", _l("Not given")), *((h.value, h.label) for h in HeardFrom)]
        )

    def validate_country_of_origin(self, field):
        if not field.data:
            raise ValidationError(_l("Please choose your country of origin."))

    def validate_languages(self, field):
        chosen = [entry.form.language.data for entry in field.entries if entry.form.language.data]
        if not chosen:
            raise ValidationError(_l("Please add at least one language you speak."))
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_l("Each language can be listed only once."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Checked here: the date field is optional, and an optional empty field skips its own
        # validators.
        if self.work_permit.data == WorkPermit.HAS_PERMIT and not self.work_permit_expires_on.data:
            self.work_permit_expires_on.errors = [
                *self.work_permit_expires_on.errors,
                _l("Please enter until when your work permit is valid."),
            ]
            valid = False
        return valid


class CvForm(FlaskForm):
    cv = FileField(
        _l("Your CV (PDF)"), validators=[FileRequired(message=_l("Please choose a file."))]
    )
    submit = SubmitField(_l("Upload"))


class InterviewForm(FlaskForm):
    interview_notes = TextAreaField(
        _l("Interview notes (only coordinators see them)"),
        validators=[Optional(), Length(max=10_000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 6},
    )
    support = CheckboxesField(
        _l("Recommended support"),
        choices=options((kind.value, kind.label) for kind in Support),
        # No Optional(): it would wipe out the error for a value that is not offered.
    )
    submit = SubmitField(_l("Save"))


class MatchingPreferencesForm(FlaskForm):
    """Changeable at any time: whether employers see the person suggested, and when they can
    start."""

    suggest_me = BooleanField(
        _l(
            "Suggest me to employers whose postings fit me. They see my card without my name "
            "and can invite me to apply. (Optional. You can change this at any time.)"
        )
    )
    available_from = DateInputField(_l("I can start from (optional)"), validators=[Optional()])
    available_until = DateInputField(
        _l("I can take part until (optional)"), validators=[Optional()]
    )
    submit = SubmitField(_l("Save"))

    def validate_available_until(self, field):
        if field.data and self.available_from.data and field.data < self.available_from.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
