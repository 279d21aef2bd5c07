"""Calendars: one event as an .ics file, and a personal feed behind a secret link."""

from flask import Blueprint

bp = Blueprint("calendars", __name__, url_prefix="/calendar")
