"""Registration, e-mail confirmation, logging in and out, and passwords."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
