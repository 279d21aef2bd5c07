from datetime import UTC

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.audit import bp, services
from marketplace.audit.forms import AuditFilterForm
from marketplace.audit.labels import ACTION_LABELS, OBJECT_TYPES, action_label, describe
from marketplace.authz import roles_required
from marketplace.forms import options
from marketplace.pagination import paginate

FILTER_NAMES = ("person", "object_type", "action", "date_from", "date_to")


def _sorted_choices(labels: dict, everything: str) -> list:
    return options([("", everything), *sorted(labels.items(), key=lambda item: str(item[1]))])


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def log():
    form = AuditFilterForm(request.args)
    form.object_type.choices = _sorted_choices(OBJECT_TYPES, _("All objects"))
    form.action.choices = _sorted_choices(ACTION_LABELS, _("All actions"))
    zone = current_user.site.zone if current_user.site else UTC
    filters = services.AuditFilters(zone=zone)
    if form.validate():
        filters = services.AuditFilters(
            person=form.person.data or "",
            object_type=form.object_type.data or None,
            action=form.action.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            zone=zone,
        )
    page = paginate(
        services.visible_entries_query(current_user, filters),
        request.args.get("page", 1, type=int),
    )
    link_args = {k: v for k, v in request.args.items() if k in FILTER_NAMES and v}
    return render_template(
        "audit/log.html",
        form=form,
        page=page,
        link_args=link_args,
        filtered=bool(link_args),
        action_label=action_label,
        describe=describe,
    )
