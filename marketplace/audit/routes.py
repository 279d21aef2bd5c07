from datetime import UTC

from flask import Response, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.audit import bp, export, services
from marketplace.audit.forms import AuditFilterForm
from marketplace.audit.labels import ACTION_LABELS, OBJECT_TYPES, action_label, describe
from marketplace.authz import roles_required
from marketplace.forms import options
from marketplace.pagination import paginate

FILTER_NAMES = ("person", "actor", "object_type", "action", "date_from", "date_to")


def _sorted_choices(labels: dict, everything: str) -> list:
    return options([("", everything), *sorted(labels.items(), key=lambda item: str(item[1]))])


def _zone():
    return current_user.site.zone if current_user.site else UTC


def _filtered() -> tuple[AuditFilterForm, services.AuditFilters | None]:
    """The filter form from the address, and the filters it asks for (None if it is invalid)."""
    form = AuditFilterForm(request.args)
    form.object_type.choices = _sorted_choices(OBJECT_TYPES, _("All objects"))
    form.action.choices = _sorted_choices(ACTION_LABELS, _("All actions"))
    if not form.validate():
        return form, None
    return form, services.AuditFilters(
        person=form.person.data or "",
        actor_id=form.actor.data,
        object_type=form.object_type.data or None,
        action=form.action.data or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        zone=_zone(),
    )


def _filter_args() -> dict:
    return {k: v for k, v in request.args.items() if k in FILTER_NAMES and v}


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def log():
    form, filters = _filtered()
    page = paginate(
        services.visible_entries_query(
            current_user, filters or services.AuditFilters(zone=_zone())
        ),
        request.args.get("page", 1, type=int),
    )
    link_args = _filter_args()
    return render_template(
        "audit/log.html",
        form=form,
        page=page,
        link_args=link_args,
        filtered=bool(link_args),
        can_download=filters is not None,
        action_label=action_label,
        describe=describe,
    )


@bp.get("/log.csv")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def download():
    _form, filters = _filtered()
    if filters is None:
        # The log page shows what is wrong with the filters; the file would ignore them.
        return redirect(url_for("audit.log", **_filter_args()))
    return Response(
        stream_with_context(export.csv_lines(current_user._get_current_object(), filters)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{export.filename(filters.zone)}"'},
    )
