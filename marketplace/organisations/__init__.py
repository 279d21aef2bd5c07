"""Employers: organisations, their staff, and the coordinators' approval."""

from flask import Blueprint

bp = Blueprint("organisations", __name__, url_prefix="/organisations")
