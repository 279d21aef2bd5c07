"""The people console: states in the list, a person's devices, sessions, recent activity and a
new confirmation e-mail, all for the people the viewer manages."""

from datetime import timedelta

import sqlalchemy as sa
from bs4 import BeautifulSoup

from marketplace.accounts.models import UserSession
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry
from marketplace.db import utcnow
from marketplace.extensions import db
from tests.conftest import english_client, log_in
from tests.mail_helpers import inbox, link_in

CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)


def rows(page: str) -> list[str]:
    return [
        row.get_text(" ", strip=True)
        for row in BeautifulSoup(page, "html.parser").select("tbody tr")
    ]


def entries(action: str) -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


# The list of people -------------------------------------------------------------------------


def test_people_list_filters_by_account_state(signed_in_client, make_user):
    make_user(Role.PARTICIPANT, display_name="Active Anna")
    make_user(Role.PARTICIPANT, display_name="Gone Guntis", active=False)
    make_user(Role.PARTICIPANT, display_name="New Nora", email_confirmed_at=None)
    coordinator, _ = signed_in_client(Role.COORDINATOR, display_name="Coordinator Cilda")

    def names(state: str) -> list[str]:
        page = coordinator.get(f"/admin/users?state={state}").get_data(as_text=True)
        return [row.split(" ")[0:2] for row in rows(page)]

    assert names("active") == [["Active", "Anna"], ["Coordinator", "Cilda"]]
    assert names("deactivated") == [["Gone", "Guntis"]]
    assert names("unconfirmed") == [["New", "Nora"]]
    page = coordinator.get("/admin/users?state=unconfirmed&q=nora").get_data(as_text=True)
    assert len(rows(page)) == 1
    assert "Please choose one of the options." in coordinator.get(
        "/admin/users?state=everything"
    ).get_data(as_text=True)


def test_each_row_shows_roles_site_last_login_and_state(signed_in_client, make_user):
    make_user(
        Role.MENTOR,
        display_name="Jānis",
        last_login_at=utcnow() - timedelta(days=2),
        email_confirmed_at=None,
    )
    make_user(Role.PARTICIPANT, display_name="Zane")
    coordinator, _ = signed_in_client(Role.COORDINATOR, display_name="Aija")

    _aija, janis, zane = rows(coordinator.get("/admin/users").get_data(as_text=True))

    assert "Mentor · Riga" in janis and "e-mail not confirmed" in janis
    assert janis.count("Riga") == 2  # the role's site and the person's own
    assert "—" not in janis  # a last login is shown
    assert "Participant · Riga" in zane and "active" in zane and "—" in zane  # never logged in


# A person's page ----------------------------------------------------------------------------


def test_person_page_lists_their_devices(app, signed_in_client, make_user):
    person = make_user(Role.PARTICIPANT, display_name="Amir")
    log_in(english_client(app), person, user_agent=CHROME_ON_ANDROID)
    ended = log_in(english_client(app), person, user_agent="Old browser")
    ended.ended_at = utcnow()
    db.session.commit()
    coordinator, _ = signed_in_client(Role.COORDINATOR)

    page = coordinator.get(f"/admin/users/{person.id}").get_data(as_text=True)

    assert "Chrome Mobile · Android" in page
    assert "Logged in:" in page and "Last seen:" in page
    assert "Old browser" not in page
    assert "End all sessions" in page


def test_ending_all_sessions_is_confirmed_then_logs_the_person_out(
    app, signed_in_client, make_user
):
    person = make_user(Role.PARTICIPANT, display_name="Amir")
    phone, laptop = english_client(app), english_client(app)
    log_in(phone, person, user_agent=CHROME_ON_ANDROID)
    log_in(laptop, person)
    coordinator, me = signed_in_client(Role.COORDINATOR)

    confirm = coordinator.get(f"/admin/users/{person.id}/sessions/end").get_data(as_text=True)
    assert "Log Amir out on every device?" in confirm
    assert phone.get("/dashboard").status_code == 200  # the confirmation page changes nothing

    response = coordinator.post(f"/admin/users/{person.id}/sessions/end", follow_redirects=True)

    assert "Amir has been logged out on every device." in response.get_data(as_text=True)
    assert phone.get("/dashboard").status_code == 302
    assert laptop.get("/dashboard").status_code == 302
    [entry] = entries("account.sessions_ended")
    assert (entry.actor_id, entry.object_id, entry.summary) == (me.id, person.id, "2")
    assert "Not logged in on any device." in coordinator.get(f"/admin/users/{person.id}").get_data(
        as_text=True
    )
    log = coordinator.get("/audit/?action=account.sessions_ended").get_data(as_text=True)
    assert "All sessions of an account ended" in log and "2 sessions ended" in log


def test_only_a_super_admin_ends_a_coordinators_sessions(app, signed_in_client, make_user):
    colleague = make_user(Role.COORDINATOR, display_name="Colleague")
    log_in(english_client(app), colleague)
    coordinator, _ = signed_in_client(Role.COORDINATOR)
    other_site, _ = signed_in_client(Role.COORDINATOR, site="linkoping")

    assert "End all sessions" not in coordinator.get(f"/admin/users/{colleague.id}").get_data(
        as_text=True
    )
    assert coordinator.post(f"/admin/users/{colleague.id}/sessions/end").status_code == 403
    assert other_site.get(f"/admin/users/{colleague.id}/sessions/end").status_code == 404
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    assert admin.post(f"/admin/users/{colleague.id}/sessions/end").status_code == 302
    live = sa.select(UserSession).where(
        UserSession.user_id == colleague.id, UserSession.ended_at.is_(None)
    )
    assert db.session.scalars(live).all() == []


def test_recent_activity_shows_their_latest_entries_and_links_to_the_log(
    signed_in_client, make_user
):
    person = make_user(Role.PARTICIPANT, site="riga", display_name="Rita")
    someone = make_user(Role.PARTICIPANT, site="riga")
    for number in range(25):
        audit.record(
            "logout", actor=person, obj=person, site_id=person.site_id, summary=f"n{number}"
        )
    audit.record("login.success", actor=person, obj=person, site_id=person.site_id)
    audit.record("logout", actor=someone, obj=someone, site_id=someone.site_id, summary="theirs")
    # Done at another site: not for Riga's coordinator to read.
    audit.record("logout", actor=person, site_id=make_user(site="linkoping").site_id, summary="lkp")
    db.session.commit()
    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")

    page = coordinator.get(f"/admin/users/{person.id}").get_data(as_text=True)

    activity = rows(page)
    assert len(activity) == 20
    assert "Logged in" in activity[0] and "Logged out n24" in activity[1]
    assert "theirs" not in page and "lkp" not in page and "n4" not in page
    assert f'href="/audit/?actor={person.id}"' in page
    log = coordinator.get(f"/audit/?actor={person.id}").get_data(as_text=True)
    assert "Only what Rita did." in log and "theirs" not in log and "n4" in log


# A new confirmation e-mail ------------------------------------------------------------------


def test_a_new_confirmation_email_is_sent_once_in_a_while(app, signed_in_client, make_user):
    person = make_user(
        Role.PARTICIPANT, email="nora@example.org", display_name="Nora", email_confirmed_at=None
    )
    coordinator, me = signed_in_client(Role.COORDINATOR)
    page = coordinator.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Resend confirmation e-mail" in page

    response = coordinator.post(f"/admin/users/{person.id}/confirmation", follow_redirects=True)

    assert "A new link to confirm the address is on its way to nora@example.org" in (
        response.get_data(as_text=True)
    )
    [message] = inbox("nora@example.org")
    [entry] = entries("account.confirmation_resent")
    assert (entry.actor_id, entry.object_id) == (me.id, person.id)

    again = coordinator.post(f"/admin/users/{person.id}/confirmation", follow_redirects=True)
    assert "a few minutes ago" in again.get_data(as_text=True)
    assert len(inbox("nora@example.org")) == 1

    # Some minutes later (the last sending moved back in time) another may go.
    entry.created_at = utcnow() - timedelta(minutes=6)
    db.session.commit()
    coordinator.post(f"/admin/users/{person.id}/confirmation")
    assert len(inbox("nora@example.org")) == 2

    # The link works: the address is confirmed and the button is gone.
    english_client(app).get(link_in(message))
    page = coordinator.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Resend confirmation e-mail" not in page
    refused = coordinator.post(f"/admin/users/{person.id}/confirmation", follow_redirects=True)
    assert "Nora has already confirmed the e-mail address." in refused.get_data(as_text=True)
    assert len(inbox("nora@example.org")) == 2


def test_no_confirmation_e_mail_right_after_registration(signed_in_client, make_user):
    person = make_user(Role.PARTICIPANT, email="fresh@example.org", email_confirmed_at=None)
    audit.record("account.registered", actor=person, obj=person, site_id=person.site_id)
    db.session.commit()
    coordinator, _ = signed_in_client(Role.COORDINATOR)
    response = coordinator.post(f"/admin/users/{person.id}/confirmation", follow_redirects=True)
    assert "a few minutes ago" in response.get_data(as_text=True)
    assert inbox("fresh@example.org") == []


def test_no_confirmation_e_mail_for_a_deactivated_account_or_another_sites_person(
    signed_in_client, make_user
):
    gone = make_user(email="gone@example.org", email_confirmed_at=None, active=False)
    elsewhere = make_user(email="lkp@example.org", site="linkoping", email_confirmed_at=None)
    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")

    response = coordinator.post(f"/admin/users/{gone.id}/confirmation", follow_redirects=True)
    assert "This account is deactivated. Reactivate it first." in response.get_data(as_text=True)
    assert coordinator.post(f"/admin/users/{elsewhere.id}/confirmation").status_code == 404
    assert inbox("gone@example.org") == [] and inbox("lkp@example.org") == []
