"""Matching rounds: a coordinator chooses postings of a site and divides shared mentors among
them, participants and the postings' staff rank, the engine proposes a stable matching, the
coordinator locks or removes pairs and runs again, then publishes: each pair becomes an offer
through the applications' own workflow.

``rounds`` (a round's steps and who may take them, its postings), ``ranking`` (choices and
rankings, the tie rule), ``places`` (open places of postings, free places of mentors),
``mentor_shares``, ``drafts`` (gathering the inputs, running the engine, keeping its answer),
``draft_review`` (locking, removing, reading the draft), ``publishing``; ``engine`` is the pure
algorithm, without Flask or a database."""

from flask import Blueprint

bp = Blueprint("matching", __name__, url_prefix="/matching")
