from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from flask_babel import force_locale

from marketplace.accounts.models import User
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import absolute
from marketplace.mail.services import queue_email, recipient_locale
from marketplace.notifications.models import Notification


def notify(
    users: Iterable[User], message: Callable[[], str], *, link: str = "", reminder: bool = False
) -> None:
    """Tell each user something, in the app and by e-mail, in their own language.

    ``message`` is called once per recipient inside that recipient's language, so it can use
    gettext with parameters: ``lambda: _("%(title)s was published.", title=posting.title)``.
    ``link`` is a path on this site (``links.path_for``); the e-mail gives it in full, on the
    configured host. A ``reminder`` is not e-mailed to people who turned
    reminder e-mails off (the in-app notice stays). The caller commits.
    """
    for user in {u.id: u for u in users}.values():
        locale = recipient_locale(user)
        with force_locale(locale):
            text = str(message())
        db.session.add(Notification(user_id=user.id, text=text[:1000], link=link))
        if reminder and not user.reminder_emails:
            continue
        queue_email(
            user,
            text if len(text) <= 120 else text[:117] + "…",
            "email/notification.txt",
            locale=locale,
            text=text,
            link=absolute(link),
        )


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def for_user_query(user: User) -> sa.Select:
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
    )


def mark_read(user: User, ids: list[int]) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.id.in_(ids),
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
    )
    db.session.commit()


def mark_all_read(user: User) -> None:
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
