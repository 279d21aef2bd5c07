"""The outbox: written with the change that causes it, delivered over real SMTP when configured."""

import socket

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from marketplace.extensions import db
from marketplace.links import path_for
from marketplace.mail.models import OutboxMessage
from marketplace.mail.services import deliver_pending, queue_email
from marketplace.notifications.models import Notification
from marketplace.notifications.services import notify


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def queue_reset_mail(recipient, locale=None):
    return queue_email(
        recipient,
        "Choose a new password",
        "email/password_reset.txt",
        locale=locale,
        link="http://localhost/x",
        valid_minutes=60,
    )


def test_mail_is_written_in_the_recipients_language(app, make_user):
    person = make_user(preferred_locale="lv", display_name="Anna")
    with app.test_request_context():
        message = queue_reset_mail(person)
    assert message.locale == "lv"
    assert "Sveiki, Anna!" in message.body_text
    assert "60 minūtes" in message.body_text


def test_rolled_back_change_sends_nothing(app):
    with app.test_request_context():
        queue_reset_mail("someone@example.org", locale="en")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_pending_mail_is_delivered_over_smtp_once(app, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    with app.test_request_context():
        queue_reset_mail("someone@example.org", locale="sv")
    db.session.commit()

    assert deliver_pending() == (1, 0)
    assert deliver_pending() == (0, 0)

    [delivered] = inbox.messages
    assert delivered["To"] == "someone@example.org"
    assert delivered["Content-Language"] == "sv"
    assert "http://localhost/x" in delivered.get_payload(decode=True).decode()


def test_send_command_says_when_mail_is_only_captured(runner):
    result = runner.invoke(args=["outbox", "send"])
    assert "stays captured" in result.output


def test_captured_mail_can_be_read_in_development_only(app, client):
    with app.test_request_context():
        queue_reset_mail("someone@example.org", locale="en")
    db.session.commit()
    assert "someone@example.org" in client.get("/dev/mail/").get_data(as_text=True)
    app.config["ENV_NAME"] = "production"
    assert client.get("/dev/mail/").status_code == 404


def test_notifications_keep_a_path_and_mail_it_on_the_configured_host_without_a_request(
    app, make_user
):
    app.config.update(SERVER_NAME="mentoring.example.org", PREFERRED_URL_SCHEME="https")
    person = make_user(preferred_locale="en", display_name="Anna")
    notify(
        [person], lambda: "Your posting was closed.", link=path_for("postings.show", posting_id=7)
    )
    db.session.commit()

    notification = db.session.scalar(sa.select(Notification))
    assert notification.link == "/postings/7"
    [message] = db.session.scalars(sa.select(OutboxMessage))
    assert "https://mentoring.example.org/postings/7\n" in message.body_text
