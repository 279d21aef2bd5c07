from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from marketplace.forms import (
    ChoiceField,
    DateInputField,
    TimeInputField,
    WholeNumberField,
    no_nul_bytes,
    options,
)
from marketplace.i18n import LANGUAGES, reading_language
from marketplace.sites.models import TrainingCategory

TOO_LONG = _l("Please use at most %(max)d characters.")
TITLE_LENGTH = 160


def _title_in(label) -> StringField:
    return StringField(
        label, validators=[Optional(), Length(max=TITLE_LENGTH, message=TOO_LONG), no_nul_bytes]
    )


class TitlesInOtherLanguages:
    """Optional titles of a training session or an event in the other languages of the interface.
    The main title is written in the language of the page, so that one gets no field of its own."""

    title_en = _title_in(_l("Title in English"))
    title_lv = _title_in(_l("Title in Latvian"))
    title_sv = _title_in(_l("Title in Swedish"))
    title_ru = _title_in(_l("Title in Russian"))
    title_uk = _title_in(_l("Title in Ukrainian"))

    def other_title_fields(self) -> list[StringField]:
        page_language = reading_language()
        return [getattr(self, f"title_{code}") for code in LANGUAGES if code != page_language]

    def title_translations(self) -> dict[str, str]:
        """{locale: title} for every other language given a title."""
        return {
            field.name.removeprefix("title_"): text
            for field in self.other_title_fields()
            if (text := (field.data or "").strip())
        }


class TrainingSessionForm(TitlesInOtherLanguages, FlaskForm):
    site = ChoiceField(_l("Programme site"), coerce=int)
    category = ChoiceField(
        _l("Category"), choices=options((c.value, c.label) for c in TrainingCategory)
    )
    title = StringField(
        lazy_pgettext("training session", "Title"),
        validators=[
            DataRequired(message=lazy_pgettext("training session", "Please enter a title.")),
            Length(max=TITLE_LENGTH, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    held_on = DateInputField(
        _l("Date"), validators=[InputRequired(message=_l("Please enter the date."))]
    )
    starts_at = TimeInputField(
        _l("Starts at"),
        validators=[InputRequired(message=_l("Please enter a time, for example 09:30."))],
    )
    minutes = WholeNumberField(
        _l("Minutes"),
        validators=[
            InputRequired(message=_l("Please enter how many minutes.")),
            NumberRange(min=5, max=600, message=_l("Enter a whole number from 5 to 600.")),
        ],
    )
    trainer = StringField(
        _l("Trainer"),
        validators=[
            DataRequired(message=_l("Please enter the trainer's name.")),
            Length(max=120, message=TOO_LONG),
            no_nul_bytes,
        ],
    )
    capacity = WholeNumberField(
        _l("Number of places"),
        validators=[
            InputRequired(message=_l("Please enter the number of places.")),
            NumberRange(min=1, max=500, message=_l("Enter a whole number from 1 to 500.")),
        ],
    )
    submit = SubmitField(_l("Add the session"))
