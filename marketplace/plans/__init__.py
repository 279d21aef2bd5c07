"""The participant's individual plan: support measures with planned hours and personal goals,
agreed in versions, shown against what happened."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/plans")
