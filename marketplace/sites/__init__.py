"""Programme sites: each one's clock, and which sites accept each other's applicants."""

from flask import Blueprint

bp = Blueprint("sites", __name__, url_prefix="/sites")
