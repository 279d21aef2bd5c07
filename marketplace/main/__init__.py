"""Home page, dashboard, language choice and health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)
