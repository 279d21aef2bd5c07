"""Reading captured e-mail in tests, as a person reads their inbox."""

import re

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.mail.models import OutboxMessage


def inbox(address: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == address)
            .order_by(OutboxMessage.id)
        )
    )


def link_in(message: OutboxMessage) -> str:
    """The path of the first link to this site (on the development host) in a message."""
    return re.search(r"http://localhost:5000(/\S+)", message.body_text).group(1)
