"""The audit log: who did what to which object, when and from where."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")
