"""Read captured mail in development, e.g. to follow a confirmation link. Never in production."""

import sqlalchemy as sa
from flask import abort, current_app, render_template, request

from marketplace.authz import get_or_404, public
from marketplace.mail import bp
from marketplace.mail.models import OutboxMessage
from marketplace.pagination import paginate


@bp.before_request
def development_only():
    if current_app.config["ENV_NAME"] == "production":
        abort(404)


@bp.get("/")
@public
def outbox():
    page = paginate(
        sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()),
        request.args.get("page", 1, type=int),
    )
    return render_template("mail/outbox.html", page=page)


@bp.get("/<int:message_id>")
@public
def message(message_id: int):
    return render_template("mail/message.html", message=get_or_404(OutboxMessage, message_id))
