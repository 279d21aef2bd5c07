"""Delivering the outbox over a real SMTP server: once, with back-off while the server is away,
failed for good after the last attempt (and sent again by a coordinator), never twice when
senders race, and a worker that stops when told."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from aiosmtpd.controller import Controller

from marketplace.accounts.roles import Role
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.mail.models import OutboxMessage, OutboxStatus
from marketplace.mail.services import (
    CLAIM_DURATION,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    claim_batch,
    deliver_pending,
    queue_email,
)
from tests.conftest import ROOT, english_client, log_in

SENDER = "Mentoring marketplace <no-reply@example.org>"


class Inbox:
    """An aiosmtpd handler that keeps what it receives; ``delay`` slows each message down, so
    that racing senders really overlap."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.received: list[tuple[list[str], bytes]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def subjects(self) -> Counter:
        from email import message_from_bytes

        return Counter(message_from_bytes(content)["Subject"] for _, content in self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server on a fixed port that a test can start late (the server was down)."""

    def __init__(self, delay: float = 0.0):
        self.port = free_port()
        self.inbox = Inbox(delay)
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp(app):
    """Nothing listens on ``smtp.port`` until the test calls ``smtp.start()``."""
    server = SmtpServer()
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        MAIL_USE_TLS=False,
        MAIL_USE_SSL=False,
        MAIL_USERNAME=None,
        MAIL_SENDER=SENDER,
    )
    yield server
    server.stop()


def queue(recipients, subject_prefix: str = "Message") -> list[OutboxMessage]:
    messages = [
        queue_email(
            recipient,
            f"{subject_prefix} {number}",
            "email/notification.txt",
            locale="en",
            text=f"Body of {subject_prefix.lower()} {number}",
            link="https://mentoring.example.org/postings",
        )
        for number, recipient in enumerate(recipients, 1)
    ]
    db.session.commit()
    return messages


def addresses(count: int) -> list[str]:
    return [f"person{number}@example.org" for number in range(1, count + 1)]


def statuses() -> list[OutboxStatus]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage.status).order_by(OutboxMessage.id)))


def start_instant() -> datetime:
    """Now on the tests' clock, to the second, so that shifted instants compare exactly."""
    return datetime.now(UTC).replace(microsecond=0)


def test_a_message_is_delivered_once_with_its_headers_and_body(app, smtp):
    from email import message_from_bytes

    smtp.start()
    [message] = queue(["anna@example.org"], "Your application")
    message.locale = "sv"
    db.session.commit()

    assert deliver_pending() == (1, 0)
    assert deliver_pending() == (0, 0)

    [(envelope_to, content)] = smtp.inbox.received
    delivered = message_from_bytes(content)
    assert envelope_to == ["anna@example.org"]
    assert delivered["From"] == SENDER
    assert delivered["To"] == "anna@example.org"
    assert delivered["Subject"] == "Your application 1"
    assert delivered["Content-Language"] == "sv"
    assert delivered["Message-ID"]
    body = delivered.get_payload(decode=True).decode()
    assert "Body of your application 1" in body
    assert "https://mentoring.example.org/postings" in body
    db.session.refresh(message)
    assert (message.status, message.attempts, message.claimed_by) == (OutboxStatus.SENT, 1, None)
    assert message.sent_at is not None


def test_messages_wait_with_back_off_while_the_server_is_down_and_arrive_once_when_back(
    app, smtp, runner
):
    messages = queue(addresses(3))
    start = start_instant()
    with time_machine.travel(start, tick=False) as clock:
        failing = runner.invoke(args=["outbox", "send"])
        assert "Sent 0 messages, 3 attempts failed" in failing.output
        for message in messages:
            db.session.refresh(message)
            assert message.status is OutboxStatus.PENDING
            assert message.attempts == 1
            assert message.next_attempt_at == start + RETRY_DELAYS[0]
            assert "ConnectionRefusedError" in message.last_error
        assert deliver_pending() == (0, 0)  # not due yet

        clock.shift(RETRY_DELAYS[0])
        assert deliver_pending() == (0, 3)
        second_failure = utcnow()

        smtp.start()  # the server is back, but the messages wait for their next attempt
        clock.shift(RETRY_DELAYS[1] - timedelta(seconds=1))
        assert deliver_pending() == (0, 0)
        assert smtp.inbox.received == []

        clock.shift(timedelta(seconds=1))
        assert utcnow() == second_failure + RETRY_DELAYS[1]
        sent = runner.invoke(args=["outbox", "send"])
        assert "Sent 3 messages, 0 attempts failed" in sent.output
        assert deliver_pending() == (0, 0)

    assert smtp.inbox.subjects() == Counter({"Message 1": 1, "Message 2": 1, "Message 3": 1})
    assert statuses() == [OutboxStatus.SENT] * 3
    assert [m.attempts for m in messages] == [3, 3, 3]


def fail_for_good(message: OutboxMessage) -> None:
    """Let every attempt fail against the silent port, each at the time it falls due."""
    with time_machine.travel(start_instant(), tick=False) as clock:
        for delay in RETRY_DELAYS:
            assert deliver_pending() == (0, 1)
            clock.shift(delay)
        assert deliver_pending() == (0, 1)
        db.session.refresh(message)
        assert message.status is OutboxStatus.FAILED
        clock.shift(timedelta(days=2))
        assert deliver_pending() == (0, 0)  # never retried on its own


def test_after_the_last_attempt_a_message_is_failed_shown_to_its_coordinator_and_sent_again(
    app, smtp, make_user
):
    coordinator = make_user(Role.COORDINATOR, site="riga")
    participant = make_user(Role.PARTICIPANT, site="riga", email="ilze@example.org")
    [message] = queue([participant], "Your placement")

    fail_for_good(message)

    assert message.attempts == MAX_ATTEMPTS
    assert message.next_attempt_at is None
    client = english_client(app)
    log_in(client, coordinator)
    page = client.get("/admin/mail/failed").get_data(as_text=True)
    assert "ilze@example.org" in page
    assert "Your placement 1" in page
    assert "ConnectionRefusedError" in page
    assert f">{MAX_ATTEMPTS}<" in page
    assert 'href="/admin/mail/failed"' in client.get("/dashboard").get_data(as_text=True)

    smtp.start()
    response = client.post(f"/admin/mail/failed/{message.id}/send-again", follow_redirects=True)
    assert "The message to ilze@example.org will be sent again." in response.get_data(as_text=True)
    db.session.refresh(message)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
    assert deliver_pending() == (1, 0)

    assert smtp.inbox.subjects() == Counter({"Your placement 1": 1})
    page = client.get("/admin/mail/failed").get_data(as_text=True)
    assert "ilze@example.org" not in page
    assert "No undelivered e-mail" in page


def failed_message(recipient: str) -> OutboxMessage:
    message = OutboxMessage(
        recipient=recipient,
        locale="en",
        subject="Welcome",
        body_text="Hello",
        status=OutboxStatus.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="550 No such mailbox",
        last_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.commit()
    return message


def test_a_coordinator_of_another_site_neither_sees_nor_sends_again_a_failed_message(
    app, make_user
):
    make_user(Role.PARTICIPANT, site="riga", email="janis@example.org")
    message = failed_message("Janis@Example.org")
    elsewhere = english_client(app)
    log_in(elsewhere, make_user(Role.COORDINATOR, site="linkoping"))

    page = elsewhere.get("/admin/mail/failed").get_data(as_text=True)
    assert "anis@" not in page.lower()
    assert "No undelivered e-mail" in page
    assert elsewhere.post(f"/admin/mail/failed/{message.id}/send-again").status_code == 404
    assert statuses() == [OutboxStatus.FAILED]

    for role in (Role.COORDINATOR, Role.SUPER_ADMIN):
        client = english_client(app)
        log_in(client, make_user(role, site="riga"))
        assert "Janis@Example.org" in client.get("/admin/mail/failed").get_data(as_text=True)


def test_other_roles_cannot_open_the_undelivered_mail_page(signed_in_client):
    client, _user = signed_in_client(Role.PARTICIPANT)
    assert client.get("/admin/mail/failed").status_code == 403


def test_sending_again_a_message_no_longer_failed_changes_nothing(app, make_user):
    make_user(Role.PARTICIPANT, site="riga", email="liga@example.org")
    message = failed_message("liga@example.org")
    client = english_client(app)
    log_in(client, make_user(Role.SUPER_ADMIN))
    client.post(f"/admin/mail/failed/{message.id}/send-again")

    again = client.post(f"/admin/mail/failed/{message.id}/send-again", follow_redirects=True)

    assert "no longer among the failed ones" in again.get_data(as_text=True)
    assert statuses() == [OutboxStatus.PENDING]


def test_a_claim_left_by_a_sender_that_died_is_taken_over_once_it_expires(app, smtp):
    smtp.start()
    queue(addresses(2))
    with time_machine.travel(start_instant(), tick=False) as clock:
        assert len(claim_batch("a sender that then died")) == 2
        assert deliver_pending() == (0, 0)  # held by the other sender's claim
        clock.shift(CLAIM_DURATION + timedelta(seconds=1))
        assert deliver_pending() == (2, 0)
    assert smtp.inbox.subjects() == Counter({"Message 1": 1, "Message 2": 1})


def test_two_senders_racing_deliver_every_message_exactly_once(app, smtp):
    """Each sender runs in its own thread with its own app context and database connection,
    on the same database: the test's SQLite file, or PostgreSQL when configured."""
    smtp.inbox.delay = 0.01
    smtp.start()
    count = 40
    queue(addresses(count))
    db.session.remove()  # the test holds no transaction (and so no lock) while they race
    start = threading.Barrier(2)
    results: dict[str, tuple[int, int]] = {}
    errors: list[BaseException] = []

    def sender(name: str) -> None:
        try:
            with app.app_context():
                start.wait()
                results[name] = tuple(deliver_pending(batch_size=3))
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=sender, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sum(sent for sent, _ in results.values()) == count
    assert all(sent > 0 for sent, _ in results.values()), results  # they did race
    subjects = smtp.inbox.subjects()
    assert len(smtp.inbox.received) == count
    assert set(subjects.values()) == {1}
    assert statuses() == [OutboxStatus.SENT] * count


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_the_worker_delivers_and_stops_cleanly_on_a_signal(app, smtp, database_url, stop_signal):
    smtp.start()
    queue(["worker@example.org"], "From the worker")
    db.session.remove()
    db.engine.dispose()
    environment = {
        **os.environ,
        "MARKETPLACE_ENV": "development",
        "MARKETPLACE_DATABASE_URL": database_url,
        "MARKETPLACE_MAIL_SERVER": "127.0.0.1",
        "MARKETPLACE_MAIL_PORT": str(smtp.port),
        "MARKETPLACE_MAIL_USE_TLS": "false",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "worker", "--interval", "0.2"],
        cwd=str(ROOT),
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not smtp.inbox.received and time.monotonic() < deadline:
            assert worker.poll() is None, worker.communicate()
            time.sleep(0.1)
        assert smtp.inbox.subjects() == Counter({"From the worker 1": 1})
        worker.send_signal(stop_signal)
        output, errors = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    assert worker.returncode == 0, errors
    assert "Stopped. Sent 1 messages" in output
    assert statuses() == [OutboxStatus.SENT]
