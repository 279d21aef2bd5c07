"""Registering, confirming the e-mail address and the privacy consent."""

import hashlib

import sqlalchemy as sa

from marketplace.accounts.models import ConsentRecord, User
from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.auth.services import PRIVACY_NOTICE_VERSION
from marketplace.config import load_config
from marketplace.extensions import db
from tests.mail_helpers import inbox, link_in

GOOD_PASSWORD = "river lamp orchard"


def registration(site_id: int, **changes) -> dict:
    data = {
        "display_name": "Olena Bondarenko",
        "email": "olena@example.org",
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "role": "participant",
        "site": str(site_id),
        "consent": "y",
    }
    return {**data, **changes}


def users_named(email: str) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.email == email)))


def test_participant_registers_confirms_and_logs_in(client, make_site):
    riga = make_site("riga")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "uk"
    response = client.post("/register", data=registration(riga.id))
    assert response.headers["Location"] == "/register/check-your-email"

    [user] = users_named("olena@example.org")
    assert user.roles == {Role.PARTICIPANT}
    assert user.site_id == riga.id
    assert user.preferred_locale == "uk"
    assert not user.email_confirmed
    consent = db.session.scalar(sa.select(ConsentRecord).where(ConsentRecord.user_id == user.id))
    assert (consent.kind, consent.version) == ("privacy_notice", PRIVACY_NOTICE_VERSION)

    [message] = inbox("olena@example.org")
    assert message.locale == "uk"
    assert "Olena Bondarenko" in message.body_text
    confirmed = client.get(link_in(message), follow_redirects=True)
    assert "Дякуємо" in confirmed.get_data(as_text=True)

    login = client.post("/login", data={"email": "olena@example.org", "password": GOOD_PASSWORD})
    assert login.headers["Location"] == "/dashboard"
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"account.registered", "account.email_confirmed", "login.success"} <= actions


def test_unconfirmed_person_is_asked_to_confirm_first(client, make_site):
    client.post("/register", data=registration(make_site("riga").id))
    response = client.post(
        "/login",
        data={"email": "olena@example.org", "password": GOOD_PASSWORD},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Please confirm your e-mail address first" in page
    assert client.get("/dashboard").status_code == 302

    client.post("/confirm/resend", data={"email": "olena@example.org"})
    assert len(inbox("olena@example.org")) == 2


def test_existing_address_gets_the_same_answer_and_its_owner_an_email(client, make_user, make_site):
    make_user(Role.MENTOR, email="taken@example.org", preferred_locale="en")
    form = registration(make_site("riga").id, email="TAKEN@example.org")
    response = client.post("/register", data=form)
    assert response.headers["Location"] == "/register/check-your-email"
    assert len(users_named("taken@example.org")) == 1
    [message] = inbox("taken@example.org")
    assert "already has an account" in message.body_text


def test_common_and_short_passwords_are_refused_with_the_input_kept(client, make_site):
    site_id = make_site("riga").id
    common = client.post(
        "/register", data=registration(site_id, password="password123", confirm="password123")
    )
    page = common.get_data(as_text=True)
    assert "one of the most common" in page
    assert 'value="Olena Bondarenko"' in page
    short = client.post("/register", data=registration(site_id, password="abc", confirm="abc"))
    assert "between 8 and 128 characters" in short.get_data(as_text=True)
    assert users_named("olena@example.org") == []


def test_registration_needs_consent_a_real_address_and_a_listed_site(client, make_site):
    site_id = make_site("riga").id
    page = client.post(
        "/register",
        data=registration(site_id, consent="", email="not-an-address", site="999", role="wizard"),
    ).get_data(as_text=True)
    assert "only register you with your consent" in page
    assert "like name@example.com" in page
    assert page.count("Please choose one of the options.") == 2
    assert users_named("not-an-address") == []


def test_confirmation_link_that_expired_says_so(app, client, make_site):
    client.post("/register", data=registration(make_site("riga").id))
    app.config["EMAIL_CONFIRMATION_MAX_AGE"] = -1
    page = client.get(link_in(inbox("olena@example.org")[0]), follow_redirects=True)
    assert "This link has expired" in page.get_data(as_text=True)
    assert "Send the link again" in page.get_data(as_text=True)


def test_tampered_confirmation_link_is_refused(client):
    page = client.get("/confirm/abc.def", follow_redirects=True).get_data(as_text=True)
    assert "This link is not valid" in page


def test_privacy_notice_is_public_and_translated(client):
    page = client.get("/privacy", headers={"Accept-Language": "lv"}).get_data(as_text=True)
    assert "Privātuma" in page or "privātum" in page.lower()
    assert PRIVACY_NOTICE_VERSION in page


def test_registering_a_known_address_costs_the_same_hashing_as_a_new_one(
    app, client, make_site, make_user, monkeypatch
):
    """No enumeration by timing: with the production hash method, registering an address that
    already has an account computes as many password hashes as registering a new one."""
    app.config["PASSWORD_HASH_METHOD"] = load_config(app.instance_path)["PASSWORD_HASH_METHOD"]
    assert app.config["PASSWORD_HASH_METHOD"].startswith("scrypt")
    riga = make_site("riga")
    make_user(email="known@example.org")
    hashes = []
    real_scrypt = hashlib.scrypt

    def counted_scrypt(*args, **kwargs):
        hashes.append(1)
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted_scrypt)
    answers = {}
    for email in ("new@example.org", "known@example.org"):
        hashes.clear()
        response = client.post("/register", data=registration(riga.id, email=email))
        answers[email] = (response.status_code, response.headers["Location"], len(hashes))
    assert answers["new@example.org"] == answers["known@example.org"]
    assert answers["known@example.org"][2] >= 1
