"""Forms of matching rounds. The ranking and share forms have one number field per row, made
for the rows on the page, so a refused number is shown next to its own field."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from marketplace.forms import ChoiceField, WholeNumberField, no_nul_bytes
from marketplace.matching.ranking import LARGEST_RANK
from marketplace.mentors.models import MAX_MENTEES_LIMIT


class NewRoundForm(FlaskForm):
    name = StringField(
        _l("Name of the round"),
        validators=[
            DataRequired(message=_l("Please give the round a name.")),
            Length(max=120, message=_l("Please use at most %(max)d characters.")),
            no_nul_bytes,
        ],
    )
    site = ChoiceField(_l("Site"), coerce=int)
    submit = SubmitField(_l("Create the round"))


class PostingsForm(FlaskForm):
    """The postings shown on the page, each a checkbox (read from the request by id)."""

    submit = SubmitField(_l("Save the choice"))


def rank_field(label: str) -> WholeNumberField:
    return WholeNumberField(
        label,
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=LARGEST_RANK,
                message=_l("Please use numbers from 1 to %(max)s.", max=LARGEST_RANK),
            ),
        ],
    )


def ranks_form(rows: Iterable[tuple[int, str, int | None]], submit_label):
    """One number per row: (application id, label, number now). Field ``rank-<id>``."""
    rows = list(rows)

    class RanksForm(FlaskForm):
        submit = SubmitField(submit_label)

    for application_id, label, _rank in rows:
        setattr(RanksForm, f"rank-{application_id}", rank_field(label))
    form = RanksForm()
    if not form.is_submitted():
        for application_id, _label, rank in rows:
            form[f"rank-{application_id}"].data = rank
    return form


def ranks_of(form, application_ids: Iterable[int]) -> dict[int, int | None]:
    return {
        application_id: form[f"rank-{application_id}"].data for application_id in application_ids
    }


def share_field_name(key: tuple[int, int]) -> str:
    round_posting_id, mentor_id = key
    return f"share-{round_posting_id}-{mentor_id}"


def shares_form(cells, label_of):
    """One number per (posting, mentor) cell; ``label_of(cell)`` names the field."""
    cells = list(cells)

    class SharesForm(FlaskForm):
        submit = SubmitField(_l("Save the shares"))

    for cell in cells:
        setattr(
            SharesForm,
            share_field_name(cell.key),
            WholeNumberField(
                label_of(cell),
                validators=[
                    Optional(),
                    NumberRange(
                        min=0,
                        max=MAX_MENTEES_LIMIT,
                        message=_l(
                            "Please enter a whole number from 0 to %(max)s.", max=MAX_MENTEES_LIMIT
                        ),
                    ),
                ],
            ),
        )
    form = SharesForm()
    if not form.is_submitted():
        for cell in cells:
            form[share_field_name(cell.key)].data = cell.places
    return form
