from flask import redirect, render_template, request, url_for
from flask_login import current_user

from marketplace.authz import signed_in
from marketplace.notifications import bp, services
from marketplace.pagination import paginate


@bp.get("/")
@signed_in
def inbox():
    page = paginate(services.for_user_query(current_user), request.args.get("page", 1, type=int))
    response = render_template("notifications/inbox.html", page=page)
    # Seen now: what was shown counts as read (it stays highlighted on this view).
    services.mark_read(current_user, [note.id for note in page.items])
    return response


@bp.post("/read")
@signed_in
def mark_read():
    services.mark_all_read(current_user)
    return redirect(url_for("notifications.inbox"))
