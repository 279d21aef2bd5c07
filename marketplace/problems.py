"""The one hierarchy of refusals a service raises, and how a route answers each.

A service refuses a step by raising one of these; nothing it did is kept (``take_step`` rolls
back). Routes never map them by hand: ``take_step`` answers every kind the same way everywhere.

- ``NotAllowed``: this person may not take this step on this object → 403. Routes that keep an
  object's existence private answer 404 before the service is called.
- ``Problem``: the step cannot happen as asked; its message tells the person why → the message
  is shown on the page they came from.
- ``WrongStatus``: the object's status does not allow the step now (a ``Problem``).
- ``CapacityReached``: every place is taken (a ``Problem``) → a page of its own, 409.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template
from flask_babel import lazy_gettext as _l

from marketplace.extensions import db


class Refused(Exception):
    """A step a service refused; nothing of it is saved."""

    default_message = _l("This is not possible.")

    def __init__(self, message: str | None = None):
        super().__init__(message or "")
        self._message = message

    @property
    def message(self) -> str:
        return str(self._message or self.default_message)


class NotAllowed(Refused):
    """The person may not take this step on this object."""

    default_message = _l("You may not do this.")


class Problem(Refused):
    """The step cannot happen as asked; the message says why and what to do."""


class WrongStatus(Problem):
    """The object's current status does not allow the step."""

    default_message = _l("This is not possible in the current status.")

    def __init__(self, current: str | None = None, target: str | None = None):
        super().__init__()
        self.current, self.target = current, target


class CapacityReached(Problem):
    """Every place (of a posting, a mentor or an event) is taken."""


def take_step(
    step: Callable[[], object],
    *,
    success: str | None,
    back: str,
    on_full: Callable[[CapacityReached], object] | None = None,
):
    """Run a service step from a route and answer kindly whatever happens; nothing half-saved.
    ``NotAllowed`` goes on to the error handler, which rolls back and answers 403.

    ``back`` is where the person returns (with ``success`` or the problem shown); ``on_full``
    renders the page shown when the last place was taken first.
    """
    try:
        step()
    except CapacityReached as full:
        db.session.rollback()
        if on_full is not None:
            return on_full(full)
        flash(full.message, "warning")
    except Problem as problem:
        db.session.rollback()
        flash(problem.message, "warning")
    else:
        if success:
            flash(success, "success")
    return redirect(back)


def full_page(template: str, **context) -> Callable[[CapacityReached], object]:
    """An ``on_full`` answer: the given template with the refusal's message, status 409."""
    return lambda full: (render_template(template, message=full.message, **context), 409)
