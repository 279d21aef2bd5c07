"""Failed logins, limited per account and per address, counted so that simultaneous guesses
cannot slip through.

Per account (from any address) the limit slows down guessing one person's password; it pauses
logging in to that account only, and never a password reset. Per address the allowance is
higher, because a classroom in a programme's group session shares one address: and each
account's failures count against its address at most ``SHARE_OF_ADDRESS`` times per window, so
one person who keeps mistyping locks only their own account, never their classmates. Guessing
at many accounts from one address still reaches the address's limit.

A limit that counts only failures cannot be checked before the password is, then charged
afterwards: guesses arriving at the same instant on several workers would all pass the check.
So every attempt takes its places in the counters first (an atomic increment in the limiter's
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

# How many of one account's failures count against the address they come from, per window.
SHARE_OF_ADDRESS = 3


@dataclass(frozen=True)
class Place:
    item: RateLimitItem
    key: str


def _account() -> str:
    return normalise_email(request.form.get("email", ""))[:254]


def _per_account() -> Place:
    item = parse(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])
    return Place(item, f"login-account:{_account()}")


def _per_address() -> Place:
    item = parse(current_app.config["LOGIN_FAILURES_PER_IP"])
    return Place(item, f"login-ip:{get_remote_address()}")


def _account_at_address() -> Place:
    """The account's share of its address: counted over the address's window."""
    address = _per_address().item
    share = type(address)(SHARE_OF_ADDRESS, address.multiples, address.namespace)
    return Place(share, f"login-account-ip:{get_remote_address()}:{_account()}")


def _hit(place: Place) -> bool:
    return limiter.limiter.hit(place.item, place.key)


def _used_up(place: Place) -> bool:
    return not limiter.limiter.test(place.item, place.key)


def take() -> list[Place] | None:
    """Take this attempt's places; None (nothing taken) when a limit is already reached."""
    taken: list[Place] = []
    try:
        account, share, address = _per_account(), _account_at_address(), _per_address()
        if not _hit(account):
            give_back([account])
            return None
        taken.append(account)
        if _hit(share):
            taken.append(share)
            if not _hit(address):
                give_back([*taken, address])
                return None
            taken.append(address)
        else:
            give_back([share])  # past its share: no longer counted against the address...
            if _used_up(address):  # ...which still closes when others have used it up
                give_back(taken)
                return None
    except Exception:  # storage unreachable: stay usable, as the other limits do
        current_app.logger.warning("Login limits unavailable; attempt not counted", exc_info=True)
        give_back(taken)
        return []
    return taken


def give_back(places: list[Place]) -> None:
    """Return places taken by an attempt that did not fail (or was refused anyway)."""
    try:
        for place in places:
            limiter.storage.incr(place.item.key_for(place.key), place.item.get_expiry(), -1)
    except Exception:
        current_app.logger.warning("Login limits unavailable; places not returned", exc_info=True)


class FailedLogins:
    """The login form's limit, for the before-request hook (marketplace/rate_limits.py).

    Failures are counted by the login view itself once the password has been checked; the hook
    only refuses every post, forged or not, while the account or the address is locked.
    """

    methods = frozenset({"POST"})
    config_keys = ("LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_FAILURES_PER_IP")

    def used_up(self) -> bool:
        return _used_up(_per_account()) or _used_up(_per_address())

    def take(self) -> bool:
        return not self.used_up()


FAILED_LOGINS = FailedLogins()
