"""Threads: who may read and write them, messages, unread counts and reports."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from marketplace.accounts.models import User
from marketplace.applications.models import Application
from marketplace.audit import services as audit
from marketplace.conversations.forms import MessageForm
from marketplace.conversations.models import Message, ThreadRead
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.notifications.services import notify
from marketplace.organisations.services import coordinators_of, staff_of
from marketplace.placements.models import Placement
from marketplace.problems import NotAllowed

MAX_LENGTH = 2000


@dataclass
class Thread:
    kind: str  # "application" or "placement"
    subject: Application | Placement

    @property
    def id(self) -> int:
        return self.subject.id

    @property
    def application(self) -> Application:
        return self.subject if self.kind == "application" else self.subject.application

    @property
    def link(self) -> str:
        if self.kind == "application":
            return path_for("applications.show", application_id=self.id) + "#messages"
        return path_for("placements.show", placement_id=self.id) + "#messages"


def members(thread: Thread) -> list[User]:
    """The people of a thread. Employer staff join an application's thread only once the
    applicant's identity is disclosed to them (from the shortlist on)."""
    application = thread.application
    people = [application.participant.user, *coordinators_of(application.posting.site_id)]
    if thread.kind == "placement" or application.identity_disclosed:
        people += staff_of(application.posting.organisation)
    if application.mentor is not None:
        people.append(application.mentor.user)
    return list({person.id: person for person in people}.values())


def can_use(user, thread: Thread) -> bool:
    return user.is_authenticated and user.id in {m.id for m in members(thread)}


def messages(thread: Thread) -> list[Message]:
    return list(
        db.session.scalars(
            sa.select(Message)
            .where(Message.thread_kind == thread.kind, Message.thread_id == thread.id)
            .order_by(Message.id)
        )
    )


def post(user: User, thread: Thread, body: str) -> Message:
    if not can_use(user, thread):
        raise NotAllowed
    message = Message(
        thread_kind=thread.kind,
        thread_id=thread.id,
        author_id=user.id,
        body=body.strip()[:MAX_LENGTH],
    )
    db.session.add(message)
    db.session.flush()
    mark_read(user, thread, message.id)
    others = [m for m in members(thread) if m.id != user.id]
    title = thread.application.posting.title
    # The e-mail says that there is a message, never what it says: threads may be sensitive.
    notify(
        others,
        lambda: _(
            "New message from %(name)s about %(title)s.", name=user.display_name, title=title
        ),
        link=thread.link,
    )
    db.session.commit()
    return message


def _last_message_id(thread: Thread) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.max(Message.id)).where(
                Message.thread_kind == thread.kind, Message.thread_id == thread.id
            )
        )
        or 0
    )


def mark_read(user: User, thread: Thread, up_to: int | None = None) -> None:
    last = up_to if up_to is not None else _last_message_id(thread)
    record = db.session.scalar(
        sa.select(ThreadRead).where(
            ThreadRead.user_id == user.id,
            ThreadRead.thread_kind == thread.kind,
            ThreadRead.thread_id == thread.id,
        )
    )
    if record is None:
        db.session.add(
            ThreadRead(
                user_id=user.id, thread_kind=thread.kind, thread_id=thread.id, last_read_id=last
            )
        )
    else:
        record.last_read_id = max(record.last_read_id, last)


def unread_count(user: User, thread: Thread) -> int:
    last = (
        db.session.scalar(
            sa.select(ThreadRead.last_read_id).where(
                ThreadRead.user_id == user.id,
                ThreadRead.thread_kind == thread.kind,
                ThreadRead.thread_id == thread.id,
            )
        )
        or 0
    )
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Message)
        .where(
            Message.thread_kind == thread.kind,
            Message.thread_id == thread.id,
            Message.id > last,
            Message.author_id != user.id,
        )
    )


def in_thread(thread: Thread, message: Message) -> bool:
    return message.thread_id == thread.id and message.thread_kind == thread.kind


def report(user: User, thread: Thread, message: Message) -> None:
    """Tell the coordinators about an inappropriate message."""
    if not can_use(user, thread) or not in_thread(thread, message):
        raise NotAllowed
    message.reported_at = message.reported_at or utcnow()
    audit.record(
        "message.reported", actor=user, obj=message, site_id=thread.application.posting.site_id
    )
    notify(
        coordinators_of(thread.application.posting.site_id),
        lambda: _("A message was reported as inappropriate. Please read it."),
        link=thread.link,
    )
    db.session.commit()


def thread_for(kind: str, subject_id: int) -> Thread | None:
    model = {"application": Application, "placement": Placement}.get(kind)
    subject = db.session.get(model, subject_id) if model else None
    return Thread(kind, subject) if subject is not None else None


def view(user: User, thread: Thread) -> dict:
    """What the thread partial shows; opening it marks the thread read."""
    if not can_use(user, thread):
        return {"thread": None}
    # Marked read and committed before the messages are loaded: a commit expires what the
    # session holds, and the page would then reload each message (and its author) one by one.
    last = _last_message_id(thread)
    mark_read(user, thread, last)
    db.session.commit()
    shown = [message for message in messages(thread) if message.id <= last]
    return {"thread": thread, "thread_messages": shown, "message_form": MessageForm()}
