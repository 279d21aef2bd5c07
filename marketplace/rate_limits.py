"""Rate limits declared on a view and checked in the one before-request hook (marketplace/authz.py).

A limit is checked only after the access rule has let the visitor in and the form's CSRF token
has proved genuine, so a refused or forged post never uses a limit up. Once a limit is used up,
every post to the route is answered 429 before any view runs, forged or not.

The counters live in the limiter's storage (Redis in production), so several workers share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse

from marketplace.extensions import limiter


class RouteLimit(Protocol):
    methods: frozenset[str]  # the methods counted
    config_keys: tuple[str, ...]  # the settings that say how many

    def used_up(self) -> bool:
        """True when the next request would be refused; counts nothing."""

    def take(self) -> bool:
        """Count this request; False (and nothing counted) when the limit is used up."""


def per_address() -> str:
    return f"address:{get_remote_address()}"


def per_person() -> str:
    return f"person:{current_user.id}"


@dataclass(frozen=True)
class ConfiguredLimit:
    """``config_key`` names a limit such as "60 per hour"; ``who`` says whom it counts."""

    config_key: str
    who: Callable[[], str]
    methods: frozenset[str] = frozenset({"POST"})

    @property
    def config_keys(self) -> tuple[str, ...]:
        return (self.config_key,)

    def _place(self):
        item = parse(current_app.config[self.config_key])
        return item, f"{request.endpoint}:{self.who()}"

    def used_up(self) -> bool:
        item, key = self._place()
        return not limiter.limiter.test(item, key)

    def take(self) -> bool:
        item, key = self._place()
        if limiter.limiter.hit(item, key):
            return True
        limiter.storage.incr(item.key_for(key), item.get_expiry(), -1)  # refused: not counted
        return False


def limited(limit: RouteLimit) -> Callable:
    """Declare a limit on a view (requests of other methods are not counted)."""

    def decorator(view: Callable) -> Callable:
        view.rate_limits = (*getattr(view, "rate_limits", ()), limit)
        return view

    return decorator


def _limits_for(view) -> list[RouteLimit]:
    return [limit for limit in getattr(view, "rate_limits", ()) if request.method in limit.methods]


def _unavailable(error: Exception) -> None:
    # A storage outage must not lock everyone out of the site (RATELIMIT_SWALLOW_ERRORS).
    if not current_app.config.get("RATELIMIT_SWALLOW_ERRORS", True):
        raise error
    current_app.logger.warning("Rate limits unavailable; request not counted", exc_info=True)


def used_up(view) -> bool:
    """Whether one of the view's limits would refuse this request; counts nothing."""
    try:
        return any(limit.used_up() for limit in _limits_for(view))
    except Exception as error:
        _unavailable(error)
        return False


def take(view) -> bool:
    """Count the request against each of the view's limits; False if one is used up."""
    try:
        return all(limit.take() for limit in _limits_for(view))
    except Exception as error:
        _unavailable(error)
        return True


def within_allowance(config_key: str, who: str) -> bool:
    """Count one more of something a visitor can cause without end (an audit entry for a refused
    request, say) against the allowance ``config_key`` names; False once it is used up.

    With the storage unreachable it answers True, as the limits do, and counts nothing.
    """
    item = parse(current_app.config[config_key])
    try:
        return limiter.limiter.hit(item, f"allowance:{config_key}:{who}")
    except Exception as error:
        _unavailable(error)
        return True
