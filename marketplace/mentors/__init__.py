"""Mentors: profiles with coordinator approval, weekly availability and capacity, and search."""

from flask import Blueprint

bp = Blueprint("mentors", __name__, url_prefix="/mentors")

from marketplace.mentors import routes  # noqa: E402,F401
