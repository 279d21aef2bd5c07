"""The one way an object changes status.

Each workflow lists its allowed edges; ``transition`` refuses any other, records a
``StatusChange``, writes an audit entry and leaves notifications to the caller, which knows who
is affected. The caller commits, so the change, its history and its e-mails land together.
"""

from __future__ import annotations

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.workflow.models import StatusChange


class TransitionNotAllowed(Exception):
    def __init__(self, current: str, target: str):
        super().__init__(f"{current} → {target}")
        self.current, self.target = current, target


def transition(
    obj,
    target: str,
    *,
    allowed: dict[str | None, set[str]],
    actor: User | None,
    site_id: int | None,
    reason: str = "",
) -> StatusChange:
    """Move ``obj`` (with a ``status`` attribute) to ``target`` along an allowed edge."""
    current = obj.status
    if target not in allowed.get(current, set()):
        raise TransitionNotAllowed(current, target)
    obj.status = target
    db.session.flush()
    change = StatusChange(
        object_type=type(obj).__name__,
        object_id=obj.id,
        from_status=current,
        to_status=target,
        reason=reason.strip(),
        actor_id=actor.id if actor else None,
    )
    db.session.add(change)
    audit.record(
        f"{type(obj).__name__.lower()}.{target}",
        actor=actor,
        obj=obj,
        site_id=site_id,
        summary=f"{current or '—'} → {target}" + (f": {reason.strip()}" if reason.strip() else ""),
    )
    return change


def history(obj) -> list[StatusChange]:
    """The object's status changes, oldest first, with who made them."""
    return list(
        db.session.scalars(
            sa.select(StatusChange)
            .where(StatusChange.object_type == type(obj).__name__, StatusChange.object_id == obj.id)
            .order_by(StatusChange.id)
            .options(sa.orm.joinedload(StatusChange.actor))
        )
    )
