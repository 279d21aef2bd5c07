"""The coordinators' review queue: what waits for them at their sites, oldest first."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")
