"""The open data API under /api/v1: published postings and upcoming events for anyone, and a
site's anonymous indicators for partner systems holding a token a super-admin gave them.
Read-only JSON, described by its own OpenAPI document (openapi.py)."""

from flask import Blueprint

# No prefix: the API's paths start with API_PREFIX, the super-admins' token pages are under /admin.
bp = Blueprint("open_data", __name__)
API_PREFIX = "/api/v1"
