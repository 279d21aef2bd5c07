from flask import render_template
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.authz import roles_required
from marketplace.review import bp, services


@bp.get("/")
@roles_required(Role.COORDINATOR, Role.SUPER_ADMIN)
def queue():
    organisations, postings, mentors, participants = services.queue(current_user)
    return render_template(
        "review/queue.html",
        organisations=organisations,
        postings=postings,
        mentors=mentors,
        participants=participants,
    )
