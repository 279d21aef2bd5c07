"""Lookups of unknown certificate codes, limited per address so codes cannot be enumerated.

Only misses count: an employer checking many real certificates is never stopped, while anyone
trying codes meets the limit after a few dozen misses. As with failed logins (auth/attempts.py),
a lookup takes its place in the counter before the code is looked up (one atomic increment, in
Redis in production) and a code that exists gives it back, so simultaneous guesses on several
workers cannot slip past the limit. The form and the code's own address share one counter.
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from marketplace.extensions import limiter

CONFIG_KEY = "CERTIFICATE_LOOKUPS_PER_IP"


def _place() -> tuple[RateLimitItem, str]:
    item = parse(current_app.config[CONFIG_KEY])
    return item, f"certificate-lookup:{get_remote_address()}"


def _asks_for_a_code() -> bool:
    typed = (request.view_args or {}).get("code") or request.args.get("code", "")
    return bool(typed.strip())


class FailedLookups:
    """The lookup pages' limit, for the before-request hook (marketplace/rate_limits.py)."""

    methods = frozenset({"GET"})
    config_keys = (CONFIG_KEY,)

    def used_up(self) -> bool:
        return not limiter.limiter.test(*_place())

    def take(self) -> bool:
        """Take a place for a lookup; showing the empty form takes none."""
        if not _asks_for_a_code():
            return not self.used_up()
        item, key = _place()
        if limiter.limiter.hit(item, key):
            return True
        limiter.storage.incr(item.key_for(key), item.get_expiry(), -1)  # refused: not counted
        return False

    def give_back(self) -> None:
        """The code existed: this lookup was no guess."""
        item, key = _place()
        try:
            limiter.storage.incr(item.key_for(key), item.get_expiry(), -1)
        except Exception:  # storage unreachable: the lookup was not counted either
            current_app.logger.warning("Lookup limits unavailable; place not returned")


FAILED_LOOKUPS = FailedLookups()
