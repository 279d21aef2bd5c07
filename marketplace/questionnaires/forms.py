from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from marketplace.forms import ChoiceField, no_nul_bytes, options
from marketplace.i18n import LANGUAGES
from marketplace.questionnaires.models import QuestionKind

TOO_LONG = _l("Please use at most %(max)d characters.")


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
        validators=[Optional(), Length(max=3000, message=TOO_LONG), no_nul_bytes],
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
        if not QuestionKind(self.kind.data).has_options:
            return
        counts = {len(lines) for lines in self.option_lines().values()}
        if counts != {max(counts)} or max(counts) < 2:
            raise ValidationError(
                _l("Give at least two answers, and the same number of lines in every language.")
            )
