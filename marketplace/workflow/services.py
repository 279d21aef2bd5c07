"""The one way an object changes status, and who may change it.

Each entity declares its ``Workflow``: named steps, each from some statuses to one status, and
the relations to the object (the applicant, the posting's staff, the site's coordinator, the
named mentor, ``SYSTEM`` for commands) whose people may take it. ``Workflow.check`` is the one
place that decides; ``Workflow.available`` tells templates which steps to offer, so no template
repeats the state machine. ``transition`` records the change (a ``StatusChange`` and an audit
entry) and leaves notifications to the caller, which knows who is affected. The caller
commits, so the change, its history and its e-mails land together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.audit import services as audit
from marketplace.extensions import db
from marketplace.problems import NotAllowed, WrongStatus
from marketplace.workflow.models import StatusChange

# The relation of a command run from cron or the shell, which has no person behind it.
SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    """A named step from any of ``sources`` to ``target`` (None: the status stays), for people
    in relations ``who``, when ``when`` (a condition on the object beyond its status) holds."""

    name: str
    sources: frozenset[str | None]
    target: str | None
    who: frozenset[str]
    when: Callable[[object], bool] | None = None

    @classmethod
    def of(
        cls,
        name: str,
        sources: Iterable[str | None],
        target: str | None,
        who: Iterable[str],
        when: Callable[[object], bool] | None = None,
    ):
        return cls(name, frozenset(sources), target, frozenset(who), when)

    def possible_for(self, obj) -> bool:
        return obj.status in self.sources and (self.when is None or self.when(obj))


class Workflow:
    """An entity's steps, and the function that says how a person relates to one of its objects."""

    def __init__(
        self, entity: str, steps: Iterable[Step], relations: Callable[[User, object], set[str]]
    ):
        self.entity = entity
        self.steps = {step.name: step for step in steps}
        self.relations = relations

    @property
    def edges(self) -> dict[str | None, set[str]]:
        """Every status each status may move to, by any step."""
        edges: dict[str | None, set[str]] = {}
        for step in self.steps.values():
            for source in step.sources:
                edges.setdefault(source, set()).add(step.target or source)
        return edges

    def relations_of(self, user: User | None, obj) -> set[str]:
        if user is None:
            return {SYSTEM}
        if not user.is_authenticated:
            return set()
        # Looking up relations must not flush a new object before its first step is recorded.
        with db.session.no_autoflush:
            return self.relations(user, obj)

    def check(self, user: User | None, obj, name: str) -> Step:
        """The step, if this person may take it on ``obj`` now; otherwise ``NotAllowed`` (not
        theirs to take) or ``WrongStatus`` (theirs, but not from the object's status)."""
        step = self.steps[name]
        if not step.who & self.relations_of(user, obj):
            raise NotAllowed
        if not step.possible_for(obj):
            raise WrongStatus(obj.status, step.target)
        return step

    def is_theirs(self, user: User | None, obj, name: str) -> bool:
        """Whether the step is this person's to take on ``obj``, whatever its status now: routes
        ask before reading a form, so a refused person learns nothing from its messages."""
        return bool(self.steps[name].who & self.relations_of(user, obj))

    def may(self, user: User | None, obj, name: str) -> bool:
        step = self.steps[name]
        return step.possible_for(obj) and bool(step.who & self.relations_of(user, obj))

    def available(self, user: User | None, obj) -> frozenset[str]:
        """The names of the steps this person may take on ``obj`` now."""
        relations = self.relations_of(user, obj)
        return frozenset(
            step.name
            for step in self.steps.values()
            if step.possible_for(obj) and step.who & relations
        )

    def take(
        self, user: User | None, obj, name: str, *, site_id: int | None, reason: str = ""
    ) -> StatusChange | None:
        """Check and take the step; a step that keeps the status records no change."""
        step = self.check(user, obj, name)
        if step.target is None or step.target == obj.status:
            return None
        return transition(
            obj, step.target, allowed=self.edges, actor=user, site_id=site_id, reason=reason
        )


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
        raise WrongStatus(current, target)
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
