from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.authz import get_or_404, signed_in
from marketplace.conversations import bp, services
from marketplace.conversations.forms import MessageForm
from marketplace.conversations.models import Message
from marketplace.problems import take_step
from marketplace.rate_limits import ConfiguredLimit, limited, per_person
from marketplace.redirects import safe_referrer

MESSAGES = ConfiguredLimit("MESSAGES_PER_USER", per_person)


def _thread_or_404(kind: str, subject_id: int) -> services.Thread:
    thread = services.thread_for(kind, subject_id)
    if thread is None or not services.can_use(current_user, thread):
        abort(404)
    return thread


@bp.post("/<kind>/<int:subject_id>")
@signed_in
@limited(MESSAGES)
def post(kind: str, subject_id: int):
    thread = _thread_or_404(kind, subject_id)
    form = MessageForm()
    if form.validate_on_submit():
        services.post(current_user, thread, form.body.data)
        flash(_("Your message is sent."), "success")
    else:
        for error in form.body.errors:
            flash(error, "warning")
    return redirect(thread.link)


@bp.post("/<kind>/<int:subject_id>/<int:message_id>/report")
@signed_in
def report(kind: str, subject_id: int, message_id: int):
    thread = _thread_or_404(kind, subject_id)
    message = get_or_404(Message, message_id)
    if not services.in_thread(thread, message):
        abort(404)
    return take_step(
        lambda: services.report(current_user, thread, message),
        success=_("Thank you. A coordinator will read the message."),
        back=safe_referrer(thread.link),
    )
