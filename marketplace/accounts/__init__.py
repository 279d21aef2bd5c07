"""A person's own account: language, password, e-mail address and signed-in devices."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/account")
