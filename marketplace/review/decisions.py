"""The coordinator's decision on something sent for review, as one step every review route takes.

Mentor profiles, participant profiles, postings and organisations are reviewed alike: the route
finds the object (404 where its existence is private), and ``decide`` reads the one comment
field, takes the step through the module's ``review`` service and answers as every step does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from marketplace.postings.forms import CommentForm
from marketplace.problems import take_step
from marketplace.workflow.services import Workflow


def decide(
    workflow: Workflow,
    review: Callable[..., object],
    obj,
    actions: Mapping[str, str],
    action: str,
    *,
    back: str,
    form: FlaskForm | None = None,
    field: str = "comment",
):
    """Take the review step ``action`` names (a key of ``actions``, which maps it to the step or
    its target status) on ``obj`` with the posted comment, then return to ``back``. A person
    whose step it is not is refused before the form is read."""
    if action not in actions:
        abort(404)
    wanted = actions[action]
    steps = [s.name for s in workflow.steps.values() if wanted in (s.name, s.target)]
    if not any(workflow.is_theirs(current_user, obj, name) for name in steps):
        abort(403)
    form = form or CommentForm()
    if not form.validate_on_submit():  # too long, or a character not allowed
        for error in form[field].errors:
            flash(error, "warning")
        return redirect(back)
    comment = form[field].data or ""
    return take_step(
        lambda: review(current_user, obj, actions[action], comment),
        success=_("Saved."),
        back=back,
    )
