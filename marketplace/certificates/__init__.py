"""Certificates: what a participant completed, issued as a record with a code anyone can check."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
