"""Message threads on applications and placements between the people involved."""

from flask import Blueprint

bp = Blueprint("conversations", __name__, url_prefix="/messages")
