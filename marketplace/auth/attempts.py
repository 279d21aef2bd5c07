"""Failed logins, limited per address and per account, counted so that simultaneous guesses
cannot slip through.

A limit that counts only failures cannot be checked before the password is, then charged
afterwards: guesses arriving at the same instant on several workers would all pass the check.
So every attempt takes its place in the counters first (an atomic increment in the limiter's
storage, Redis in production), and a login that succeeds gives its places back: a classroom
logging in correctly behind one address never uses the budget up.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from marketplace.accounts.models import normalise_email
from marketplace.extensions import limiter


@dataclass(frozen=True)
class Place:
    item: RateLimitItem
    key: str


def _counters() -> list[Place]:
    config = current_app.config
    email = normalise_email(request.form.get("email", ""))[:254]
    return [
        Place(parse(config["LOGIN_FAILURES_PER_IP"]), f"login-ip:{get_remote_address()}"),
        Place(parse(config["LOGIN_FAILURES_PER_ACCOUNT"]), f"login-account:{email}"),
    ]


def take() -> list[Place] | None:
    """Take this attempt's places; None (nothing taken) when a limit is already reached."""
    taken: list[Place] = []
    try:
        for place in _counters():
            if not limiter.limiter.hit(place.item, place.key):
                give_back([*taken, place])
                return None
            taken.append(place)
    except Exception:  # storage unreachable: stay usable, as the other limits do
        current_app.logger.warning("Login limits unavailable; attempt not counted", exc_info=True)
        return []
    return taken


def give_back(places: list[Place]) -> None:
    """Return places taken by an attempt that did not fail (or was refused anyway)."""
    try:
        for place in places:
            limiter.storage.incr(place.item.key_for(place.key), place.item.get_expiry(), -1)
    except Exception:
        current_app.logger.warning("Login limits unavailable; places not returned", exc_info=True)
