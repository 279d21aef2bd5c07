"""Matching rounds: participants and the postings' staff rank, the engine proposes a stable
matching, a coordinator reviews it and publishes the pairs as offers."""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")
