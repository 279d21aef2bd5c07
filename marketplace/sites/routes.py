from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import coordinated_sites, get_or_404, roles_required
from marketplace.extensions import db
from marketplace.forms import NOT_A_CHOICE, posted_id
from marketplace.sites import bp, services
from marketplace.sites.models import Site


@bp.get("/partners")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def partners():
    return render_template("sites/partners.html", pairs=services.pairs_for(current_user))


@bp.post("/<int:site_id>/partners")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def set_partner(site_id: int):
    site = get_or_404(Site, site_id)
    sites = coordinated_sites(current_user)
    if sites is not None and site.id not in sites:
        abort(404)
    partner_id = posted_id("partner")
    other = db.session.get(Site, partner_id) if partner_id else None
    if other is None or other.id == site.id:
        flash(NOT_A_CHOICE, "warning")
        return redirect(url_for("sites.partners"))
    if not services.may_manage_partnership(current_user, site.id, other.id):
        abort(403)
    accepted = request.form.get("accepted") == "1"
    services.set_partnership(current_user, site, other, accepted)
    if accepted:
        message = _(
            "Participants of %(site)s and %(other)s may now apply to each other's postings.",
            site=site.name,
            other=other.name,
        )
    else:
        message = _(
            "Participants of %(site)s and %(other)s now apply only at their own site.",
            site=site.name,
            other=other.name,
        )
    flash(message, "success")
    return redirect(url_for("sites.partners"))
