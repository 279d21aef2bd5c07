from flask import render_template, request
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import roles_required
from marketplace.review import bp, services


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def queue():
    section = request.args.get("section")
    return render_template(
        "review/queue.html",
        **services.queue(current_user, section, request.args.get("page", 1, type=int)),
    )
