from flask import render_template, request
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.audit import bp, services
from marketplace.audit.labels import action_label
from marketplace.authz import roles_required
from marketplace.pagination import paginate


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def log():
    page = paginate(
        services.visible_entries_query(current_user), request.args.get("page", 1, type=int)
    )
    return render_template("audit/log.html", page=page, action_label=action_label)
