"""Coordinators manage the people of their site; super-admins manage everyone."""

import re

import sqlalchemy as sa

from marketplace.accounts.models import RoleGrant
from marketplace.accounts.roles import Role
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db
from tests.conftest import TEST_PASSWORD, english_client, log_in


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_coordinator_lists_only_people_of_their_site(signed_in_client, make_user):
    make_user(Role.PARTICIPANT, site="riga", display_name="Ilze Kalniņa")
    other = make_user(Role.PARTICIPANT, site="linkoping", display_name="Lars Berg")
    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")

    page = coordinator.get("/admin/users").get_data(as_text=True)
    assert "Ilze Kalniņa" in page
    assert "Lars Berg" not in page
    assert coordinator.get(f"/admin/users/{other.id}").status_code == 404


def test_search_ignores_letter_case_and_diacritics(signed_in_client, make_user):
    make_user(Role.PARTICIPANT, display_name="Ilze Kalniņa")
    make_user(Role.PARTICIPANT, display_name="Олена Бондаренко")
    make_user(Role.PARTICIPANT, display_name="Priya Sharma")
    admin, _ = signed_in_client(Role.SUPER_ADMIN)

    latvian = admin.get("/admin/users?q=KALNINA").get_data(as_text=True)
    assert "Ilze Kalniņa" in latvian and "Priya" not in latvian
    cyrillic = admin.get("/admin/users?q=олена").get_data(as_text=True)
    assert "Олена Бондаренко" in cyrillic and "Priya" not in cyrillic
    assert "Nobody matches" in admin.get("/admin/users?q=%25_").get_data(as_text=True)


def test_coordinator_grants_and_takes_away_a_mentor_role(signed_in_client, make_user):
    person = make_user(Role.EMPLOYER_STAFF, site="riga", display_name="Jānis")
    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")
    riga_id = person.site_id

    response = coordinator.post(
        f"/admin/users/{person.id}/roles",
        data={"grant": f"mentor:{riga_id}"},
        follow_redirects=True,
    )
    assert "Jānis now has the role Mentor." in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.roles == {Role.EMPLOYER_STAFF, Role.MENTOR}

    grant = db.session.scalar(sa.select(RoleGrant).where(RoleGrant.role == Role.MENTOR))
    coordinator.post(f"/admin/users/{person.id}/roles/{grant.id}/revoke")
    db.session.refresh(person)
    assert person.roles == {Role.EMPLOYER_STAFF}
    assert audit_actions()[-2:] == ["role.granted", "role.revoked"]


def test_coordinator_cannot_appoint_coordinators_or_act_elsewhere(
    signed_in_client, make_user, make_site
):
    person = make_user(Role.PARTICIPANT, site="riga")
    linkoping = make_site("linkoping")
    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")

    page = coordinator.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Coordinator ·" not in page
    for forged in (f"coordinator:{person.site_id}", f"mentor:{linkoping.id}", "super_admin:"):
        response = coordinator.post(f"/admin/users/{person.id}/roles", data={"grant": forged})
        assert response.status_code == 400
    db.session.refresh(person)
    assert person.roles == {Role.PARTICIPANT}


def test_super_admin_appoints_a_coordinator(signed_in_client, make_user):
    person = make_user(site="linkoping")
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    admin.post(f"/admin/users/{person.id}/roles", data={"grant": f"coordinator:{person.site_id}"})
    db.session.refresh(person)
    assert person.sites_for(Role.COORDINATOR) == {person.site_id}


def test_the_last_super_admin_cannot_be_removed(signed_in_client):
    admin, user = signed_in_client(Role.SUPER_ADMIN)
    [grant] = user.role_grants
    page = admin.post(f"/admin/users/{user.id}/roles/{grant.id}/revoke", follow_redirects=True)
    assert "You cannot take away this role." in page.get_data(as_text=True)
    db.session.refresh(user)
    assert user.roles == {Role.SUPER_ADMIN}


def test_deactivation_is_confirmed_then_ends_the_persons_sessions(app, signed_in_client, make_user):
    person = make_user(Role.PARTICIPANT, email="leaving@example.org", display_name="Amir")
    persons_phone = english_client(app)
    log_in(persons_phone, person)
    assert persons_phone.get("/dashboard").status_code == 200
    coordinator, _ = signed_in_client(Role.COORDINATOR)

    confirm = coordinator.get(f"/admin/users/{person.id}/deactivate").get_data(as_text=True)
    assert "Deactivate the account of Amir?" in confirm
    coordinator.post(f"/admin/users/{person.id}/deactivate")

    assert persons_phone.get("/dashboard").status_code == 302
    login = english_client(app).post(
        "/login", data={"email": "leaving@example.org", "password": TEST_PASSWORD}
    )
    assert login.status_code == 200
    assert "account.deactivated" in audit_actions()

    coordinator.post(f"/admin/users/{person.id}/reactivate")
    again = english_client(app).post(
        "/login", data={"email": "leaving@example.org", "password": TEST_PASSWORD}
    )
    assert again.headers["Location"] == "/dashboard"


def test_coordinator_cannot_deactivate_themselves_or_other_coordinators(
    signed_in_client, make_user
):
    colleague = make_user(Role.COORDINATOR)
    coordinator, me = signed_in_client(Role.COORDINATOR)
    assert coordinator.get(f"/admin/users/{me.id}/deactivate").status_code == 403
    assert coordinator.post(f"/admin/users/{colleague.id}/deactivate").status_code == 403


def test_people_list_is_paginated(signed_in_client, make_user):
    for number in range(30):
        make_user(Role.PARTICIPANT, display_name=f"Person {number:02d}")
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    first = admin.get("/admin/users?role=participant").get_data(as_text=True)
    assert "30 people" in first
    assert re.search(r'href="/admin/users\?[^"]*page=2', first)
    assert "Person 29" in admin.get("/admin/users?role=participant&page=2").get_data(as_text=True)
