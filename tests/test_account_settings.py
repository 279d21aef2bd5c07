"""A person changes their own language and e-mail address."""

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.mail_helpers import inbox, link_in


def test_language_is_saved_on_the_account(signed_in_client):
    client, user = signed_in_client(Role.PARTICIPANT)
    client.post("/account/", data={"language": "ru"})
    db.session.refresh(user)
    assert user.preferred_locale == "ru"
    assert '<html lang="ru"' in client.get("/dashboard").get_data(as_text=True)


def test_unknown_language_is_refused_kindly(signed_in_client):
    client, _user = signed_in_client(Role.PARTICIPANT)
    page = client.post("/account/", data={"language": "xx"}).get_data(as_text=True)
    assert "Please choose one of the options." in page


def test_new_email_address_is_used_after_its_link_is_opened(signed_in_client):
    client, user = signed_in_client(Role.MENTOR, email="old@example.org", display_name="Jana")
    client.post(
        "/account/email", data={"email": "New@Example.org", "current_password": TEST_PASSWORD}
    )
    db.session.refresh(user)
    assert user.email == "old@example.org"

    [message] = inbox("new@example.org")
    response = client.get(link_in(message), follow_redirects=True)
    assert "Your e-mail address has been changed." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email == "new@example.org"
    [notice] = inbox("old@example.org")
    assert "new@example.org" in notice.body_text
    assert client.get(link_in(message), follow_redirects=True).status_code == 200


def test_address_of_another_account_is_not_taken_and_not_revealed(signed_in_client, make_user):
    make_user(Role.PARTICIPANT, email="someone@example.org")
    client, user = signed_in_client(Role.MENTOR, email="me@example.org")
    response = client.post(
        "/account/email",
        data={"email": "someone@example.org", "current_password": TEST_PASSWORD},
        follow_redirects=True,
    )
    assert "We have sent a link to the new address." in response.get_data(as_text=True)
    [notice] = inbox("someone@example.org")
    assert "already has another account" in notice.body_text
    db.session.refresh(user)
    assert user.email == "me@example.org"


def test_email_change_needs_the_current_password(signed_in_client):
    client, _user = signed_in_client(Role.MENTOR)
    page = client.post(
        "/account/email", data={"email": "x@example.org", "current_password": "wrong wrong"}
    )
    assert "This is not your current password." in page.get_data(as_text=True)
    assert inbox("x@example.org") == []
