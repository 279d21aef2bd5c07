"""Outgoing e-mail through an outbox table.

Messages are written in the same transaction as the change that causes them, so a rolled-back
change sends nothing. In development and tests the outbox is the captured mail; ``flask outbox
send`` delivers pending messages over SMTP when ``MARKETPLACE_MAIL_SERVER`` is set.
"""

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/dev/mail")
