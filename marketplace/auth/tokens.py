"""Signed, expiring links sent by e-mail (confirm an address, reset a password)."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidLink(Exception):
    """The link was tampered with, already used or expired (``expired`` tells which)."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def fingerprint(value: str) -> str:
    """A short digest of a value that must not have changed since the link was made.

    Putting the password hash's fingerprint in a reset link makes the link single-use.
    """
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def make(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: int) -> dict:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise InvalidLink(expired=True) from error
    except BadSignature as error:
        raise InvalidLink(expired=False) from error
    if not isinstance(payload, dict):
        raise InvalidLink(expired=False)
    return payload
