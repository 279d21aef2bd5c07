from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import Optional, ValidationError

from marketplace.forms import CheckboxesField, ChoiceField, DateInputField

# A report over more than this many years is a typing mistake, and an expensive one.
LONGEST_PERIOD_DAYS = 10 * 366
# Years a programme's figures can be asked for: a typed 0001 or 9999 is a mistake too.
YEARS = range(2000, 2100)


def within_years(_form, field):
    if field.data and field.data.year not in YEARS:
        raise ValidationError(_l("Please choose a date from 2000 to 2099."))


class PeriodForm(FlaskForm):
    """Sites and period in the address (GET), so a report can be shared as a link."""

    class Meta:
        csrf = False

    date_from = DateInputField(_l("First day"), validators=[Optional(), within_years])
    date_to = DateInputField(_l("Last day"), validators=[Optional(), within_years])
    anonymous = BooleanField(_l("Show as monitoring partners and funders see it"))
    submit = SubmitField(_l("Show"))

    def validate_date_to(self, field):
        if not (field.data and self.date_from.data):
            return
        if field.data < self.date_from.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
        if (field.data - self.date_from.data).days > LONGEST_PERIOD_DAYS:
            raise ValidationError(_l("Please choose a period of at most ten years."))


class DashboardForm(PeriodForm):
    site = ChoiceField(_l("Site"), validators=[Optional()])


class CompareForm(PeriodForm):
    sites = CheckboxesField(_l("Sites"), validators=[Optional()])
