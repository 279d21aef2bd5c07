"""Server-side sessions: devices, logging out one or all, timeouts and replayed cookies."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import UserSession
from marketplace.accounts.roles import Role
from marketplace.auth import services as auth_services
from marketplace.auth import sessions
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD, english_client, log_in

pytestmark = pytest.mark.clock

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def device(app, user_agent):
    client = english_client(app)
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def log_in_by_form(client, email, password=TEST_PASSWORD, **extra):
    response = client.post("/login", data={"email": email, "password": password, **extra})
    assert response.headers.get("Location") == "/dashboard", response.get_data(as_text=True)[:300]


def open_sessions(user) -> list[UserSession]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(UserSession).where(
                UserSession.user_id == user.id, UserSession.ended_at.is_(None)
            )
        )
    )


def test_cookie_holds_a_new_random_token_not_the_user_id(app, make_user):
    user = make_user(email="tok@example.org")
    client = device(app, PHONE)
    log_in_by_form(client, "tok@example.org")
    with client.session_transaction() as session:
        first = session["_user_id"]
    client.post("/logout")
    log_in_by_form(client, "tok@example.org")
    with client.session_transaction() as session:
        second = session["_user_id"]
    assert first != second
    assert str(user.id) not in (first, second)
    assert len(first) >= 32


def test_person_sees_their_devices_and_logs_one_out(app, make_user):
    user = make_user(email="two@example.org")
    phone, laptop = device(app, PHONE), device(app, LAPTOP)
    log_in_by_form(phone, "two@example.org")
    log_in_by_form(laptop, "two@example.org")

    page = laptop.get("/account/devices").get_data(as_text=True)
    assert "Chrome Mobile · Android" in page
    assert "Firefox · Windows" in page
    assert "This device" in page

    [phone_session] = [s for s in open_sessions(user) if "Android" in s.user_agent]
    laptop.post(f"/account/devices/{phone_session.id}/end")
    assert phone.get("/dashboard").status_code == 302
    assert laptop.get("/dashboard").status_code == 200


def test_log_out_everywhere_ends_every_session(app, make_user):
    user = make_user(email="every@example.org")
    phone, laptop = device(app, PHONE), device(app, LAPTOP)
    log_in_by_form(phone, "every@example.org")
    log_in_by_form(laptop, "every@example.org")

    response = laptop.post("/account/devices/end-all")

    assert response.headers["Location"] == "/login"
    assert phone.get("/dashboard").status_code == 302
    assert laptop.get("/dashboard").status_code == 302
    assert open_sessions(user) == []


def test_replayed_cookie_of_an_ended_session_never_works(app, make_user):
    make_user(email="replay@example.org")
    client = device(app, LAPTOP)
    log_in_by_form(client, "replay@example.org", remember="y")
    stolen_session = client.get_cookie("session").value
    stolen_remember = client.get_cookie("remember_token").value
    client.post("/logout")

    attacker = device(app, PHONE)
    attacker.set_cookie("session", stolen_session)
    attacker.set_cookie("remember_token", stolen_remember)
    assert attacker.get("/dashboard").status_code == 302


def test_remember_me_keeps_a_session_after_the_browser_closes(app, make_user):
    user = make_user(email="keep@example.org")
    client = device(app, LAPTOP)
    log_in_by_form(client, "keep@example.org", remember="y")
    remember_cookie = client.get_cookie("remember_token").value
    assert [s.remember for s in open_sessions(user)] == [True]

    reopened = device(app, LAPTOP)  # a new browser session: only the remember cookie is left
    reopened.set_cookie("remember_token", remember_cookie)
    assert reopened.get("/dashboard").status_code == 200


def test_idle_and_absolute_timeouts_end_sessions(app, make_user):
    user = make_user(email="idle@example.org")
    client = device(app, LAPTOP)
    log_in_by_form(client, "idle@example.org")
    [record] = open_sessions(user)
    record.last_seen_at -= timedelta(seconds=app.config["SESSION_IDLE_TIMEOUT"] + 1)
    db.session.commit()
    assert client.get("/dashboard").status_code == 302

    log_in_by_form(client, "idle@example.org")
    [record] = open_sessions(user)
    record.created_at -= timedelta(seconds=app.config["SESSION_ABSOLUTE_TIMEOUT"] + 1)
    db.session.commit()
    assert client.get("/dashboard").status_code == 302


def change(current_password: str) -> dict:
    new = "brand new words"
    return {"current_password": current_password, "password": new, "confirm": new}


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user(email="change@example.org")
    phone, laptop = device(app, PHONE), device(app, LAPTOP)
    log_in_by_form(phone, "change@example.org")
    log_in_by_form(laptop, "change@example.org")

    response = laptop.post("/account/password", data=change(TEST_PASSWORD))

    assert response.headers["Location"] == "/account/"
    assert laptop.get("/dashboard").status_code == 200
    assert phone.get("/dashboard").status_code == 302
    assert len(open_sessions(user)) == 1


def test_wrong_current_password_changes_nothing(app, signed_in_client):
    client, user = signed_in_client(Role.PARTICIPANT)
    page = client.post("/account/password", data=change("not it at all")).get_data(as_text=True)
    assert "This is not your current password." in page
    db.session.refresh(user)
    assert user.check_password("correct horse battery")


def test_password_reset_ends_every_session(app, make_user):
    user = make_user(email="reset@example.org")
    phone = device(app, PHONE)
    log_in_by_form(phone, "reset@example.org")
    with app.test_request_context():
        auth_services.reset_password(user, "another good one")
    assert phone.get("/dashboard").status_code == 302


def _log_out(person, _other, _user, _make_user):
    person.post("/logout")


def _log_out_everywhere_elsewhere(_person, other, _user, _make_user):
    other.post("/account/devices/end-all")


def _change_password_elsewhere(_person, other, _user, _make_user):
    other.post("/account/password", data=change(TEST_PASSWORD))


def _deactivated_by_a_coordinator(person, _other, user, make_user):
    coordinator = english_client(person.application)
    log_in(coordinator, make_user(Role.COORDINATOR))
    coordinator.post(f"/admin/users/{user.id}/deactivate")


@pytest.mark.parametrize(
    "ending",
    [
        _log_out,
        _log_out_everywhere_elsewhere,
        _change_password_elsewhere,
        _deactivated_by_a_coordinator,
    ],
)
def test_a_copied_cookie_is_useless_once_the_session_ends(app, make_user, ending):
    user = make_user(Role.PARTICIPANT, email="copied@example.org")
    person, other = device(app, LAPTOP), device(app, PHONE)
    log_in_by_form(person, "copied@example.org", remember="y")
    log_in_by_form(other, "copied@example.org")
    copied = {name: person.get_cookie(name).value for name in ("session", "remember_token")}
    assert person.get("/dashboard").status_code == 200

    ending(person, other, user, make_user)

    thief = device(app, PHONE)
    for name, value in copied.items():
        thief.set_cookie(name, value)
    response = thief.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_sessions_time_out_on_a_frozen_clock(app, make_user, monkeypatch):
    make_user(email="clock@example.org")
    client = device(app, LAPTOP)
    logged_in_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    idle = timedelta(seconds=app.config["SESSION_IDLE_TIMEOUT"])
    absolute = timedelta(seconds=app.config["SESSION_ABSOLUTE_TIMEOUT"])

    def clock_at(moment):
        monkeypatch.setattr(sessions, "utcnow", lambda: moment)

    clock_at(logged_in_at)
    log_in_by_form(client, "clock@example.org")
    clock_at(logged_in_at + idle - timedelta(seconds=1))
    assert client.get("/dashboard").status_code == 200  # used just in time: still signed in
    clock_at(logged_in_at + 2 * idle - timedelta(seconds=2))  # idle - 1 s after that use
    assert client.get("/dashboard").status_code == 200
    clock_at(logged_in_at + 3 * idle)
    assert client.get("/dashboard").status_code == 302  # unused for longer than the idle limit

    clock_at(logged_in_at)
    log_in_by_form(client, "clock@example.org")
    moment = logged_in_at
    while moment + idle / 2 < logged_in_at + absolute:  # used often, yet only until the limit
        moment += idle / 2
        clock_at(moment)
        assert client.get("/dashboard").status_code == 200
    clock_at(logged_in_at + absolute)
    assert client.get("/dashboard").status_code == 302
