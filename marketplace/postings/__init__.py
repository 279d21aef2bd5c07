"""Postings: mentoring slots, jobs and internships, their review and the public search."""

from flask import Blueprint

bp = Blueprint("postings", __name__, url_prefix="/postings")
