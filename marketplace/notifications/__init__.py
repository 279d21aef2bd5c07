"""In-app notifications, each also sent by e-mail, in the recipient's language."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
