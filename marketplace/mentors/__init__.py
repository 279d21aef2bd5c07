"""Mentors: profiles with coordinator approval, weekly availability and capacity, and search."""

from flask import Blueprint

bp = Blueprint("mentors", __name__, url_prefix="/mentors")
