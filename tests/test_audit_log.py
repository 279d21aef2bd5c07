"""Coordinators read their sites' audit entries; super-admins read all."""

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit import services as audit
from marketplace.audit.models import AuditEntry
from marketplace.extensions import db, limiter
from tests.conftest import TEST_PASSWORD


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


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


def refusals() -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action == "access.refused")
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_a_page_refused_to_a_signed_in_person_is_audited(signed_in_client):
    participant, person = signed_in_client(Role.PARTICIPANT, site="riga", display_name="Rita")

    assert participant.get("/audit/?person=x").status_code == 403

    [entry] = refusals()
    assert (entry.actor_id, entry.site_id) == (person.id, person.site_id)
    assert entry.summary == "GET /audit/"  # the query string may hold what someone searched for
    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")
    page = coordinator.get("/audit/?action=access.refused").get_data(as_text=True)
    assert "Access refused" in page and "Rita" in page and "GET /audit/" in page


def test_a_refused_step_is_audited_and_nothing_of_it_is_kept(signed_in_client, make_user):
    colleague = make_user(Role.PARTICIPANT, Role.COORDINATOR, site="riga")
    grant = next(g for g in colleague.role_grants if g.role is Role.COORDINATOR)
    coordinator, me = signed_in_client(Role.COORDINATOR, site="riga")

    # A coordinator manages the colleague's participant role, but may not take away a
    # coordinator's role: the service refuses the step.
    path = f"/admin/users/{colleague.id}/roles/{grant.id}/revoke"
    assert coordinator.post(path).status_code == 403

    [entry] = refusals()
    assert (entry.actor_id, entry.summary) == (me.id, f"POST {path}")
    db.session.expire_all()
    assert Role.COORDINATOR in db.session.get(User, colleague.id).roles
    assert "role.revoked" not in audit_actions()


def test_visitors_sent_to_log_in_and_pages_not_found_are_not_refusals(client, signed_in_client):
    assert client.get("/audit/").status_code == 302
    participant, _ = signed_in_client(Role.PARTICIPANT)
    assert participant.get("/admin/users/999999").status_code == 403  # by role, before the lookup
    coordinator, _ = signed_in_client(Role.COORDINATOR)
    assert coordinator.get("/admin/users/999999").status_code == 404
    assert len(refusals()) == 1


def test_a_burst_of_refusals_is_audited_only_up_to_an_allowance(app, signed_in_client):
    app.config["REFUSALS_AUDITED_PER_PERSON"] = "3 per minute"
    limiter.reset()
    participant, person = signed_in_client(Role.PARTICIPANT)

    statuses = {participant.get("/admin/users").status_code for _ in range(8)}

    assert statuses == {403}  # every one refused, only the first few written down
    assert [entry.actor_id for entry in refusals()] == [person.id] * 3
    other, someone_else = signed_in_client(Role.MENTOR)
    assert other.get("/admin/users").status_code == 403
    assert refusals()[-1].actor_id == someone_else.id
    limiter.reset()


# The log as a CSV file ----------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # so a spreadsheet reads UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_the_csv_holds_every_filtered_entry_not_only_one_page(signed_in_client, make_user):
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    olena = make_user(Role.PARTICIPANT, display_name="Олена Kalniņa", email="olena@example.org")
    for number in range(60):
        audit.record("logout", actor=olena, obj=olena, site_id=olena.site_id, summary=str(number))
    audit.record("login.success", actor=olena, obj=olena, site_id=olena.site_id)
    db.session.commit()

    response = admin.get("/audit/log.csv?action=logout")

    header, *rows = read_csv(response)
    assert header == [
        "Time (Europe/Riga)", "Who", "E-mail", "Site", "Action", "Action code", "Object",
        "Object ID", "Details", "IP address",
    ]  # fmt: skip
    assert len(rows) == 60 and {row[5] for row in rows} == {"logout"}
    newest = rows[0]
    assert newest[1:9] == [
        "Олена Kalniņa", "olena@example.org", "Riga", "Logged out", "logout", "Account",
        str(olena.id), "59",
    ]  # fmt: skip
    newest_instant = db.session.scalar(
        sa.select(AuditEntry.created_at).where(AuditEntry.summary == "59")
    )
    time = datetime.fromisoformat(newest[0])
    assert time == newest_instant.replace(microsecond=0)
    assert time.utcoffset() == newest_instant.astimezone(ZoneInfo("Europe/Riga")).utcoffset()
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="audit-log-\d{4}-\d{2}-\d{2}\.csv"', disposition)


def test_the_csv_follows_the_filters_and_the_readers_site(signed_in_client, make_user):
    rita = make_user(Role.PARTICIPANT, site="riga", display_name="Rita")
    lars = make_user(Role.PARTICIPANT, site="linkoping", display_name="Lars")
    for person in (rita, lars):
        audit.record("login.success", actor=person, obj=person, site_id=person.site_id)
        audit.record("logout", actor=person, obj=person, site_id=person.site_id)
    db.session.commit()
    coordinator, _ = signed_in_client(Role.COORDINATOR, site="riga")

    header, *rows = read_csv(coordinator.get("/audit/log.csv"))
    assert header[0] == "Time (Europe/Riga)"
    assert {row[1] for row in rows} == {"Rita"}
    assert datetime.fromisoformat(rows[0][0]).tzinfo is not None
    _header, *rows = read_csv(coordinator.get("/audit/log.csv?person=rita&action=logout"))
    assert [(row[1], row[5]) for row in rows] == [("Rita", "logout")]
    # Another site's person is not found, not even by name.
    _header, *rows = read_csv(coordinator.get("/audit/log.csv?person=lars"))
    assert rows == []


def test_the_csv_is_in_the_readers_language(signed_in_client, make_user):
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    person = make_user(Role.PARTICIPANT)
    audit.record("logout", actor=person, obj=person, site_id=person.site_id)
    db.session.commit()
    _header, english_row = read_csv(admin.get("/audit/log.csv"))
    _header, latvian_row = read_csv(admin.get("/audit/log.csv", headers={"Accept-Language": "lv"}))
    assert (english_row[4], latvian_row[4]) == ("Logged out", "Izgāja no sistēmas")
    assert latvian_row[5] == english_row[5] == "logout"  # the code stays, for comparing


def test_typed_text_that_looks_like_a_formula_stays_text(signed_in_client, make_user):
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    person = make_user(Role.PARTICIPANT, display_name='=HYPERLINK("http://evil.example")')
    audit.record("logout", actor=person, obj=person, site_id=person.site_id, summary="-1+1")
    db.session.commit()
    _header, row = read_csv(admin.get("/audit/log.csv"))
    assert row[1] == '\'=HYPERLINK("http://evil.example")' and row[8] == "'-1+1"


def test_the_csv_with_filters_that_are_not_valid_shows_the_log_instead(signed_in_client):
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    response = admin.get("/audit/log.csv?date_from=2025-02-01&date_to=2025-01-01")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/audit/?")
    page = admin.get("/audit/?date_from=2025-02-01&date_to=2025-01-01").get_data(as_text=True)
    assert "cannot be before the start date" in page and "log.csv" not in page


def test_the_log_page_links_to_the_csv_of_what_it_shows(signed_in_client, make_user):
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    person = make_user(Role.PARTICIPANT)
    audit.record("logout", actor=person, obj=person, site_id=person.site_id)
    db.session.commit()
    page = admin.get("/audit/?action=logout").get_data(as_text=True)
    assert 'href="/audit/log.csv?action=logout"' in page and "Download CSV" in page


def test_the_log_shows_one_persons_entries_by_account(signed_in_client, make_user):
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    ana = make_user(Role.PARTICIPANT, email="ana@example.org", display_name="Ana")
    diana = make_user(Role.PARTICIPANT, email="diana@example.org", display_name="Diana")
    for person in (ana, diana):
        audit.record("logout", actor=person, obj=person, site_id=person.site_id)
    db.session.commit()

    page = admin.get(f"/audit/?actor={ana.id}").get_data(as_text=True)
    assert "Only what Ana did." in page and "Diana" not in page
    _header, *rows = read_csv(admin.get(f"/audit/log.csv?actor={ana.id}"))
    assert [row[1] for row in rows] == ["Ana"]
