"""Captured mail for developers, and mail that could not be delivered, for coordinators."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, public, roles_required
from marketplace.mail import bp, services
from marketplace.mail.models import OutboxMessage
from marketplace.pagination import paginate

# Captured mail shows every message with its links (password resets too): never in production.
DEVELOPMENT_ONLY = frozenset({"mail.outbox", "mail.message"})


@bp.before_request
def development_only():
    if request.endpoint in DEVELOPMENT_ONLY and current_app.config["ENV_NAME"] == "production":
        abort(404)


@bp.get("/dev/mail/")
@public
def outbox():
    page = paginate(
        sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()),
        request.args.get("page", 1, type=int),
    )
    return render_template("mail/outbox.html", page=page)


@bp.get("/dev/mail/<int:message_id>")
@public
def message(message_id: int):
    return render_template("mail/message.html", message=get_or_404(OutboxMessage, message_id))


# Undelivered mail: a coordinator sees messages to accounts of their own sites ------------------


@bp.get("/admin/mail/failed")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def failed():
    page = paginate(
        services.failed_messages(coordinated_sites(current_user)),
        request.args.get("page", 1, type=int),
    )
    return render_template("mail/failed.html", page=page, max_attempts=services.MAX_ATTEMPTS)


@bp.post("/admin/mail/failed/<int:message_id>/send-again")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def send_again(message_id: int):
    # Another site's message answers 404: even its existence is not this coordinator's business.
    message = services.visible_message(message_id, coordinated_sites(current_user))
    if message is None:
        abort(404)
    if services.send_again(current_user, message):
        flash(
            _("The message to %(recipient)s will be sent again.", recipient=message.recipient),
            "success",
        )
    else:  # sent again by someone else a moment ago, or delivered since
        flash(_("This message is no longer among the failed ones."), "info")
    return redirect(url_for("mail.failed"))
