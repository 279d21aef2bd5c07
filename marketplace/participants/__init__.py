"""Participants: eligibility, profile, consent, CV, and the coordinators' review."""

from flask import Blueprint

bp = Blueprint("participants", __name__, url_prefix="/participants")
