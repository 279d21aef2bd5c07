from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from marketplace.forms import ChoiceField, no_nul_bytes, options
from marketplace.i18n import LANGUAGES
from marketplace.questionnaires.models import QuestionKind

TOO_LONG = _l("Please use at most %(max)d characters.")
OPTION_LENGTH = 200  # QuestionOption.label_*


def _text(code: str) -> StringField:
    return StringField(
        _l("Question in %(language)s", language=LANGUAGES[code]),
        validators=[
            DataRequired(message=_l("Please write the question in every language.")),
            Length(max=500, message=TOO_LONG),
            no_nul_bytes,
        ],
    )


def _options(code: str) -> TextAreaField:
    return TextAreaField(
        _l("Answers in %(language)s, one per line", language=LANGUAGES[code]),
        # Not Optional(): it would stop validate_options_en when the English answers are empty.
        validators=[Length(max=3000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 3},
    )


class QuestionForm(FlaskForm):
    kind = ChoiceField(
        _l("Kind of answer"), choices=options((k.value, k.label) for k in QuestionKind)
    )
    required = BooleanField(_l("An answer is required"), default=True)
    text_en, text_lv, text_sv, text_ru, text_uk = (_text(code) for code in LANGUAGES)
    options_en, options_lv, options_sv, options_ru, options_uk = (
        _options(code) for code in LANGUAGES
    )
    submit = SubmitField(_l("Add the question"))

    def option_lines(self) -> dict[str, list[str]]:
        return {
            code: [
                line.strip()
                for line in (getattr(self, f"options_{code}").data or "").splitlines()
                if line.strip()
            ]
            for code in LANGUAGES
        }

    def validate_options_en(self, field):
        if self.kind.data not in {k.value for k in QuestionKind}:
            return  # the kind field says so
        if not QuestionKind(self.kind.data).has_options:
            return
        counts = {len(lines) for lines in self.option_lines().values()}
        if counts != {max(counts)} or max(counts) < 2:
            raise ValidationError(
                _l("Give at least two answers, and the same number of lines in every language.")
            )
        # Each line becomes one answer, stored in a column of OPTION_LENGTH characters.
        if any(
            len(line) > OPTION_LENGTH for lines in self.option_lines().values() for line in lines
        ):
            raise ValidationError(TOO_LONG % {"max": OPTION_LENGTH})
