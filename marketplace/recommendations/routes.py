from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.authz import get_or_404, signed_in
from marketplace.organisations.services import is_site_coordinator
from marketplace.participants.models import ParticipantProfile
from marketplace.postings.models import Posting
from marketplace.postings.services import can_view
from marketplace.problems import take_step
from marketplace.recommendations import bp, services


def _posting_for_suggestions(posting_id: int) -> Posting:
    posting = get_or_404(Posting, posting_id)
    if not can_view(current_user, posting):
        abort(404)
    if not services.may_see_suggestions(current_user, posting):
        abort(403)
    return posting


@bp.get("/postings/<int:posting_id>/suggestions")
@signed_in
def for_posting(posting_id: int):
    posting = _posting_for_suggestions(posting_id)
    return render_template(
        "recommendations/for_posting.html",
        posting=posting,
        suggestions=services.suggested_participants(posting),
        # Employers know a suggested person by a number until they apply and are shortlisted.
        show_names=is_site_coordinator(current_user, posting.site_id),
    )


@bp.post("/postings/<int:posting_id>/suggestions/<int:profile_id>/invite")
@signed_in
def invite(posting_id: int, profile_id: int):
    posting = _posting_for_suggestions(posting_id)
    profile = get_or_404(ParticipantProfile, profile_id)
    back = url_for("recommendations.for_posting", posting_id=posting.id)
    return take_step(
        lambda: services.invite(current_user, posting, profile),
        success=_("Invitation sent. The participant decides whether to apply."),
        back=back,
    )
