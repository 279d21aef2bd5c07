"""Group training: sessions by category with enrolment and attendance, counted against plan."""

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training")
