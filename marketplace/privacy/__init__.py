"""Privacy rights: a person downloads their data (export.py) and asks for it to be erased,
which a coordinator confirms (erasure.py)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
