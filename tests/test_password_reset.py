"""Forgotten passwords: a link by e-mail in the person's language, used once."""

import re

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.mail.models import OutboxMessage

SAME_ANSWER = "If an account uses this address"


def captured_mail() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def reset_link(message: OutboxMessage) -> str:
    return re.search(r"http://localhost:5000(/password/reset/\S+)", message.body_text).group(1)


def test_person_resets_a_forgotten_password_from_the_emailed_link(client, make_user):
    make_user(
        Role.PARTICIPANT, email="olena@example.org", preferred_locale="uk", display_name="Олена"
    )

    answer = client.post(
        "/password/forgot", data={"email": "OLENA@example.org"}, follow_redirects=True
    )
    assert SAME_ANSWER in answer.get_data(as_text=True)

    [message] = captured_mail()
    assert message.recipient == "olena@example.org"
    assert message.locale == "uk"
    assert "Олена" in message.body_text
    assert re.search("[а-яіїєґ]", message.subject.lower())

    link = reset_link(message)
    form = client.post(link, data={"password": "new secret words", "confirm": "new secret words"})
    assert form.headers["Location"] == "/login"
    login = client.post(
        "/login", data={"email": "olena@example.org", "password": "new secret words"}
    )
    assert login.headers["Location"] == "/dashboard"

    client.post("/logout")
    reused = client.get(link, follow_redirects=True)
    assert "has already been used" in reused.get_data(as_text=True)


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    answer = client.post(
        "/password/forgot", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    assert SAME_ANSWER in answer.get_data(as_text=True)
    assert captured_mail() == []


def test_tampered_link_is_refused_kindly(client):
    response = client.get("/password/reset/not-a-token", follow_redirects=True)
    assert "This link is not valid" in response.get_data(as_text=True)


def test_expired_link_says_so(app, client, make_user):
    make_user(Role.PARTICIPANT, email="late@example.org")
    client.post("/password/forgot", data={"email": "late@example.org"})
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    response = client.get(reset_link(captured_mail()[0]), follow_redirects=True)
    assert "This link has expired" in response.get_data(as_text=True)


def test_new_password_must_be_long_enough_and_typed_twice(client, make_user):
    make_user(Role.PARTICIPANT, email="short@example.org")
    client.post("/password/forgot", data={"email": "short@example.org"})
    link = reset_link(captured_mail()[0])

    short = client.post(link, data={"password": "abc", "confirm": "abc"})
    assert "between 8 and 128 characters" in short.get_data(as_text=True)
    different = client.post(link, data={"password": "long enough 1", "confirm": "long enough 2"})
    assert "The two passwords are not the same." in different.get_data(as_text=True)


# Links in e-mails name the configured host, never the request's Host header ------------------

HOSTILE_HOSTS = ["evil.example", "evil.example:8080", "localhost"]
CONFIGURED = [
    pytest.param({}, "http://localhost:5000/", id="development default"),
    pytest.param(
        {"SERVER_NAME": "mentoring.example.org", "PREFERRED_URL_SCHEME": "https"},
        "https://mentoring.example.org/",
        id="configured host",
    ),
]


def links_in(message: OutboxMessage) -> list[str]:
    return re.findall(r"\bhttps?://\S+", message.body_text)


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
@pytest.mark.parametrize(("settings", "base"), CONFIGURED)
def test_emailed_reset_link_names_the_configured_host_whatever_host_is_sent(
    app, client, make_user, settings, base, host
):
    app.config.update(settings)
    make_user(Role.PARTICIPANT, email="olena@example.org")
    client.post("/password/forgot", data={"email": "olena@example.org"}, headers={"Host": host})

    [message] = captured_mail()
    [link] = links_in(message)
    assert re.fullmatch(re.escape(base) + r"password/reset/[\w.-]+", link), link
    # The link works on the site it names.
    page = client.get("/" + link.removeprefix(base))
    assert page.status_code == 200


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
@pytest.mark.parametrize(("settings", "base"), CONFIGURED)
def test_emailed_confirmation_links_name_the_configured_host_whatever_host_is_sent(
    app, client, make_site, make_user, settings, base, host
):
    app.config.update(settings)
    riga = make_site("riga")
    client.post(
        "/register",
        headers={"Host": host},
        data={
            "display_name": "Olena Bondarenko",
            "email": "olena@example.org",
            "password": "river lamp orchard",
            "confirm": "river lamp orchard",
            "role": "participant",
            "site": str(riga.id),
            "consent": "y",
        },
    )
    client.post("/confirm/resend", data={"email": "olena@example.org"}, headers={"Host": host})

    messages = captured_mail()
    assert len(messages) == 2
    for message in messages:
        [link] = links_in(message)
        assert re.fullmatch(re.escape(base) + r"confirm/[\w.-]+", link), link
