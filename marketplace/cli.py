"""Commands for operators and developers: ``flask translate``, ``flask demo``, ``flask outbox``."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from pathlib import Path

import click
import sqlalchemy as sa
from babel.messages.frontend import CommandLineInterface
from flask import Flask, current_app

from marketplace.backup.cli import backup
from marketplace.config import PROJECT_ROOT
from marketplace.i18n import LANGUAGES

TRANSLATIONS = PROJECT_ROOT / "translations"
POT_FILE = TRANSLATIONS / "messages.pot"
EXTRACTION_KEYWORDS = ["_l", "lazy_pgettext:1c,2", "lazy_ngettext:1,2"]


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract_messages(output: Path = POT_FILE, root: Path = PROJECT_ROOT) -> None:
    keywords = [arg for keyword in EXTRACTION_KEYWORDS for arg in ("-k", keyword)]
    pybabel(
        "extract",
        "-F",
        str(root / "babel.cfg"),
        *keywords,
        "--no-location",
        "--sort-output",
        "--project=marketplace",
        # Babel skips folders starting with "_" by default, which would miss _macros/_partials.
        "--ignore-dirs=.*",
        "-o",
        str(output),
        # One input folder, so babel.cfg's patterns match; folders starting with "." are skipped.
        str(root),
    )


@click.group(help="Extract, update, compile and add translations.")
def translate():
    pass


@translate.command(help="Collect translatable strings from code and templates into messages.pot.")
def extract():
    extract_messages()
    click.echo(f"Wrote {POT_FILE.relative_to(PROJECT_ROOT)}")


@translate.command(help="Extract, then merge new strings into every language's catalog.")
def update():
    extract_messages()
    # -N: never guess a translation from a similar string; a guess would read as done.
    pybabel("update", "-N", "--ignore-obsolete", "-i", str(POT_FILE), "-d", str(TRANSLATIONS))
    click.echo(f"Updated {len(list(TRANSLATIONS.glob('*/LC_MESSAGES/messages.po')))} catalogs")


@translate.command(help="Compile every catalog to the .mo files the site reads.")
def compile():
    pybabel("compile", "-d", str(TRANSLATIONS))
    click.echo(f"Compiled {len(list(TRANSLATIONS.glob('*/LC_MESSAGES/messages.po')))} catalogs")


@translate.command(help="Start a catalog for a new language, e.g. 'flask translate init et'.")
@click.argument("language")
def init(language: str):
    extract_messages()
    pybabel("init", "-i", str(POT_FILE), "-d", str(TRANSLATIONS), "-l", language)
    if language not in LANGUAGES:
        click.echo(f"Add '{language}' to LANGUAGES in marketplace/i18n.py to offer it.")
    click.echo(f"Created translations/{language}/LC_MESSAGES/messages.po")


@click.group(help="Demo data for trying the site.")
def demo():
    pass


@demo.command("load", help="Load demo sites and accounts, unless the database already has users.")
def load_demo():
    from marketplace.demo import load_demo_data

    created = load_demo_data()
    if created:
        click.echo(f"Loaded demo data: {created} accounts. Passwords are listed in README.md.")
    else:
        click.echo("The database already has accounts; demo data left as it is.")


@click.group(help="Outgoing e-mail.")
def outbox():
    pass


def _mail_is_captured() -> bool:
    if current_app.config["MAIL_SERVER"]:
        return False
    click.echo("MARKETPLACE_MAIL_SERVER is not set: mail stays captured in the outbox.")
    return True


@outbox.command(help="Deliver the messages that are due over SMTP (for cron; safe to run often).")
def send():
    from marketplace.mail.services import count_due, deliver_pending

    if _mail_is_captured():
        return
    with click.progressbar(length=count_due(), label="Sending") as bar:
        sent, failed = deliver_pending(progress=bar)
    click.echo(f"Sent {sent} messages, {failed} attempts failed (retried later).")


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def _stop_on_signals(stop: threading.Event):
    """SIGTERM (from a service manager) and Ctrl+C end the worker between two messages."""

    def handle(_signum, _frame):
        stop.set()

    previous = {number: signal.signal(number, handle) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@outbox.command(
    help="Keep delivering messages as they fall due, until stopped with SIGTERM or Ctrl+C. "
    "An alternative to 'send' from cron; several workers and cron may run together."
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds between two looks at the outbox.",
)
def worker(interval: float):
    from marketplace.extensions import db
    from marketplace.mail.services import deliver_pending

    if _mail_is_captured():
        return
    stop = threading.Event()
    sent = failed = 0
    click.echo(f"Delivering e-mail every {interval:g} seconds; stop with SIGTERM or Ctrl+C.")
    with _stop_on_signals(stop):
        while not stop.is_set():
            try:
                delivery = deliver_pending(should_stop=stop.is_set)
            except sa.exc.OperationalError:
                # The database is restarting or unreachable: try again at the next round.
                current_app.logger.exception("The outbox could not be read")
                db.session.rollback()
            else:
                sent, failed = sent + delivery.sent, failed + delivery.failed
            db.session.remove()  # hold no connection while waiting
            stop.wait(interval)
    click.echo(f"Stopped. Sent {sent} messages, {failed} attempts failed (retried later).")


@click.command("create-admin", help="Make EMAIL a super-admin, creating the account if needed.")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True, help="Name for a new account.")
@click.password_option(help="Password for a new account (asked for if not given).")
def create_admin(email: str, name: str, password: str):
    from marketplace.accounts.admin_command import make_super_admin

    created = make_super_admin(email, name, password)
    click.echo(f"{'Created' if created else 'Updated'} {email}: super-admin, active, confirmed.")


@click.group(help="Postings.")
def postings():
    pass


@postings.command("close-expired", help="Close postings past their deadline or full (for cron).")
def close_expired():
    from marketplace.postings.services import close_expired as close

    with click.progressbar(length=0, label="Closing") as bar:
        closed = close(progress=bar)
    click.echo(f"Closed {closed} postings.")


@click.group(help="Reminders.")
def reminders():
    pass


@reminders.command("send", help="Send the reminders that are due (for cron; never sends twice).")
def send_reminders():
    from marketplace.reminders.services import send_due

    # Links in reminders name the configured host (MARKETPLACE_SERVER_NAME); no request needed.
    sent = send_due()
    click.echo(f"Sent {sent} reminders.")


def register_cli(app: Flask) -> None:
    # Imported here: the command imports the matching services and with them most features'
    # models, which importing marketplace must not pull in.
    from marketplace.matching.commands import matching
    from marketplace.privacy.cli import privacy

    for command in (
        translate,
        demo,
        outbox,
        create_admin,
        postings,
        reminders,
        matching,
        backup,
        privacy,
    ):
        app.cli.add_command(command)
