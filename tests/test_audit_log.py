"""Coordinators read their sites' audit entries; super-admins read all."""

from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD


def test_logins_appear_in_the_audit_log_of_the_persons_site(
    app, client, make_user, signed_in_client
):
    make_user(Role.PARTICIPANT, email="riga.person@example.org", site="riga", display_name="Rita")
    make_user(
        Role.PARTICIPANT, email="lkp.person@example.org", site="linkoping", display_name="Lars"
    )
    client.post("/login", data={"email": "riga.person@example.org", "password": TEST_PASSWORD})
    client.post("/logout")
    client.post("/login", data={"email": "lkp.person@example.org", "password": TEST_PASSWORD})

    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")
    page = coordinator.get("/audit/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Rita" in page
    assert "Logged in" in page
    assert "Lars" not in page

    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    page = admin.get("/audit/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Rita" in page
    assert "Lars" in page


def test_audit_log_is_paginated(app, signed_in_client):
    admin, _user = signed_in_client(Role.SUPER_ADMIN)
    for number in range(30):
        audit.record("login.failure", summary=f"attempt-{number:02d}")
    db.session.commit()

    first = admin.get("/audit/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    second = admin.get("/audit/?page=2", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "attempt-29" in first
    assert "attempt-00" not in first
    assert "attempt-00" in second
    assert "Page 2 of 2" in second
    assert admin.get("/audit/?page=99").status_code == 200


def test_empty_audit_log_explains_itself(signed_in_client):
    coordinator, _ = signed_in_client(Role.COORDINATOR)
    page = coordinator.get("/audit/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Nothing has been recorded" in page
