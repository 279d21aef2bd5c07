"""Recommendations with reasons: postings for a participant, participants for a posting, and
mentors for an offer, each ordered by fit and explained in plain words."""

from flask import Blueprint

bp = Blueprint("recommendations", __name__)
