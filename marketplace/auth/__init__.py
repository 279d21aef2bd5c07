"""Registration, e-mail confirmation, logging in and out, and passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from marketplace.auth import routes  # noqa: E402,F401
