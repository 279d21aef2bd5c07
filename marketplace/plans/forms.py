from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from marketplace.forms import DateInputField, WholeNumberField, no_nul_bytes
from marketplace.plans.models import Measure
from marketplace.plans.services import MAX_GOALS, MIN_GOALS

TOO_LONG = _l("Please use at most %(max)d characters.")
MAX_HOURS = 2000


class GoalForm(FlaskForm):
    class Meta:
        csrf = False

    text = StringField(
        _l("Goal"), validators=[Optional(), Length(max=300, message=TOO_LONG), no_nul_bytes]
    )
    target_date = DateInputField(_l("Target date"), validators=[Optional()])

    @property
    def is_filled(self) -> bool:
        return bool((self.text.data or "").strip())


class PlanForm(FlaskForm):
    """Planned hours per measure (empty or 0: not part of the plan) and up to five goals."""

    goals = FieldList(FormField(GoalForm), min_entries=MAX_GOALS, max_entries=MAX_GOALS)
    note = TextAreaField(
        _l("What changes, and why (optional)"),
        validators=[Optional(), Length(max=1000, message=TOO_LONG), no_nul_bytes],
        render_kw={"rows": 2},
    )

    def hours_fields(self):
        return [(measure, self[f"hours_{measure.value}"]) for measure in Measure]

    def measures(self) -> dict[Measure, int]:
        return {measure: field.data or 0 for measure, field in self.hours_fields()}

    def goal_values(self):
        return [
            (entry.form.text.data.strip(), entry.form.target_date.data)
            for entry in self.goals
            if entry.form.is_filled
        ]

    def validate_goals(self, field):
        undated = [
            entry.form
            for entry in field.entries
            if entry.form.is_filled and entry.form.target_date.data is None
        ]
        for goal in undated:
            if not goal.target_date.errors:
                goal.target_date.errors = [_l("Please give a target date.")]
        filled = sum(1 for entry in field.entries if entry.form.is_filled)
        if not MIN_GOALS <= filled <= MAX_GOALS:
            raise ValidationError(_l("Please write two to five personal goals."))
        if undated:
            raise ValidationError(_l("Each goal needs a target date."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if valid and not any(hours > 0 for hours in self.measures().values()):
            self.hours_local_language.errors = [
                *self.hours_local_language.errors,
                _l("Please plan hours for at least one measure."),
            ]
            valid = False
        return valid


for _measure in Measure:
    setattr(
        PlanForm,
        f"hours_{_measure.value}",
        WholeNumberField(
            _measure.label,
            validators=[
                Optional(),
                NumberRange(
                    min=0,
                    max=MAX_HOURS,
                    message=_l("Please enter a number of hours from 0 to %(max)d."),
                ),
            ],
        ),
    )


class ReachedForm(FlaskForm):
    reached_on = DateInputField(
        _l("Reached on"), validators=[InputRequired(message=_l("Please give the date."))]
    )
    note = StringField(
        _l("Short note (optional)"),
        validators=[Optional(), Length(max=500, message=TOO_LONG), no_nul_bytes],
    )
