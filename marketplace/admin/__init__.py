"""Coordinators and super-admins manage people, roles and sites."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
