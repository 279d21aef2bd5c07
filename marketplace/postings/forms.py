from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, FormField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from marketplace.forms import (
    CheckboxesField,
    ChoiceField,
    DateInputField,
    RadioChoiceField,
    WholeNumberField,
    no_nul_bytes,
    options,
)
from marketplace.i18n import LANGUAGES
from marketplace.languages import CefrLevel
from marketplace.mentors.models import Expertise
from marketplace.postings.models import PostingKind

TOO_LONG = _l("Please use at most %(max)d characters.")
START_PASSED = _l("The start date has already passed. Please choose today or a later date.")


class LanguageRequirementForm(FlaskForm):
    """One required language: leave the language empty for none."""

    class Meta:
        csrf = False

    language = ChoiceField(_l("Language"), validators=[Optional()])
    min_level = ChoiceField(
        _l("Lowest level"),
        choices=options((level.value, level.label) for level in CefrLevel),
        default=CefrLevel.A1.value,
    )


class PostingForm(FlaskForm):
    kind = RadioChoiceField(
        _l("What do you offer?"),
        choices=options((kind.value, kind.label) for kind in PostingKind),
        validators=[InputRequired(message=_l("Please choose one of the options."))],
    )
    title = StringField(
        lazy_pgettext("posting", "Title"),
        validators=[
            DataRequired(message=lazy_pgettext("posting", "Please enter a title.")),
            Length(max=160, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[
            DataRequired(message=_l("Please describe the work and what the person will learn.")),
            Length(max=10_000, message=TOO_LONG),
            no_nul_bytes,
        ],
        render_kw={"rows": 8},
    )
    content_locale = ChoiceField(_l("Language of this text"), choices=options(LANGUAGES.items()))
    location = StringField(
        _l("Where the work is (address)"),
        validators=[
            DataRequired(message=_l("Please enter where the work is.")),
            Length(max=200, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    start_date = DateInputField(
        _l("Start date"), validators=[InputRequired(message=_l("Please enter the start date."))]
    )
    end_date = DateInputField(_l("End date (optional)"), validators=[Optional()])
    hours_per_week = WholeNumberField(
        _l("Hours per week"),
        validators=[
            InputRequired(message=_l("Please enter the hours per week.")),
            NumberRange(min=1, max=60, message=_l("Enter a whole number from 1 to 60.")),
        ],
    )
    seats = WholeNumberField(
        _l("Number of places"),
        validators=[
            InputRequired(message=_l("Please enter the number of places.")),
            NumberRange(min=1, max=100, message=_l("Enter a whole number from 1 to 100.")),
        ],
    )
    work_permit_required = BooleanField(_l("A work permit is required"))
    areas = CheckboxesField(
        _l("Work areas"),
        choices=options((area.value, area.label) for area in Expertise),
        # No Optional(): it would wipe out the error for a value that is not offered.
    )
    application_deadline = DateInputField(
        _l("Application deadline (optional)"), validators=[Optional()]
    )
    languages = FieldList(FormField(LanguageRequirementForm), min_entries=3, max_entries=3)
    submit = SubmitField(_l("Save"))

    # Set by the view: today at the posting's site, and the start date already saved (an edit
    # of a posting that has started keeps its date).
    site_today: date | None = None
    saved_start_date: date | None = None

    def validate_start_date(self, field):
        if (
            field.data
            and self.site_today
            and field.data < self.site_today
            and field.data != self.saved_start_date
        ):
            raise ValidationError(START_PASSED)

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def validate_languages(self, field):
        chosen = [entry.form.language.data for entry in field.entries if entry.form.language.data]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_l("Each language can be listed only once."))


COMMENT_CHECKS = [Optional(), Length(max=2000, message=TOO_LONG), no_nul_bytes]


class CommentForm(FlaskForm):
    """A coordinator's comment on a review step; each kind's label names who reads it."""

    comment = TextAreaField(_l("Comment for the employer"), validators=COMMENT_CHECKS)


class ParticipantCommentForm(CommentForm):
    comment = TextAreaField(_l("Comment for the participant"), validators=COMMENT_CHECKS)


class MentorCommentForm(CommentForm):
    comment = TextAreaField(_l("Comment for the mentor"), validators=COMMENT_CHECKS)


class ReturnedOfferCommentForm(CommentForm):
    comment = TextAreaField(
        _l("Comment for the employer and the participant"), validators=COMMENT_CHECKS
    )


class SearchForm(FlaskForm):
    """The public search; everything is in the address so a search can be shared as a link."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200, message=TOO_LONG)])
    kind = ChoiceField(lazy_pgettext("posting", "Kind"), validators=[Optional()])
    area = ChoiceField(_l("Work area"), validators=[Optional()])
    site = ChoiceField(_l("Programme site"), validators=[Optional()])
    city = ChoiceField(_l("City"), validators=[Optional()])
    language = ChoiceField(_l("Required language"), validators=[Optional()])
    content_language = ChoiceField(_l("Language of the text"), validators=[Optional()])
    start_from = DateInputField(_l("Starts on or after"), validators=[Optional()])
    start_to = DateInputField(_l("Starts on or before"), validators=[Optional()])
    hours_min = WholeNumberField(
        _l("At least hours per week"),
        validators=[
            Optional(),
            NumberRange(min=0, max=60, message=_l("Enter a whole number from 0 to 60.")),
        ],
    )
    hours_max = WholeNumberField(
        _l("At most hours per week"),
        validators=[
            Optional(),
            NumberRange(min=0, max=60, message=_l("Enter a whole number from 0 to 60.")),
        ],
    )
    open_only = BooleanField(_l("Only postings open for applications"))
    sort = ChoiceField(_l("Sort by"), validators=[Optional()])
