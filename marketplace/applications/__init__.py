"""Applications: from a participant's application to an approved placement."""

from flask import Blueprint

bp = Blueprint("applications", __name__, url_prefix="/applications")
