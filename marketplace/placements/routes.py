from flask import abort, render_template
from flask_login import current_user

from marketplace.applications import services as applications
from marketplace.authz import get_or_404, signed_in
from marketplace.placements import bp
from marketplace.placements.models import Placement
from marketplace.workflow.services import history


@bp.get("/<int:placement_id>")
@signed_in
def show(placement_id: int):
    placement = get_or_404(Placement, placement_id)
    if not applications.can_view(current_user, placement.application):
        abort(404)
    return render_template(
        "placements/show.html", placement=placement, history=history(placement.application)
    )
