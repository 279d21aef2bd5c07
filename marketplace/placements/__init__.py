"""Placements: approved matches of a participant, a posting and (for mentoring) a mentor."""

from flask import Blueprint

bp = Blueprint("placements", __name__, url_prefix="/placements")
