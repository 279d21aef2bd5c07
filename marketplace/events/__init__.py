"""Events (seminars, conferences, excursions, networking) with sign-up within capacity."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")
