"""The needs-assessment questionnaire of each site: versioned, in every language."""

from flask import Blueprint

bp = Blueprint("questionnaires", __name__, url_prefix="/questionnaires")
