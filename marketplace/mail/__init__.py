"""Outgoing e-mail through an outbox table.

Messages are written in the same transaction as the change that causes them, so a rolled-back
change sends nothing. In development and tests the outbox is the captured mail; ``flask outbox
send`` (cron) or ``flask outbox worker`` delivers due messages over SMTP when
``MARKETPLACE_MAIL_SERVER`` is set, retrying with back-off; messages that never got through are
listed for coordinators.
"""

from flask import Blueprint

# No prefix: captured mail is under /dev/mail (development only), undelivered mail under /admin.
bp = Blueprint("mail", __name__)
