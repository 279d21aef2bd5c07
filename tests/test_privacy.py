"""A person downloads everything the programme keeps about them, and asks for it to be erased;
a coordinator of their site confirms, and the programme's figures stay as they were."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.applications.models import Application
from marketplace.audit.models import AuditEntry
from marketplace.auth import sessions
from marketplace.conversations.models import Message
from marketplace.db import Base
from marketplace.errors import _without_row_values
from marketplace.extensions import db
from marketplace.indicators import services as indicators
from marketplace.mentors.models import MentorProfile
from marketplace.notifications.models import Notification
from marketplace.participants import services as participants
from marketplace.placements.models import Placement
from marketplace.privacy import erasure, export, retention
from marketplace.privacy.labels import FIELD_LABELS, shown_fields
from marketplace.workflow.models import StatusChange
from tests.conftest import TEST_PASSWORD, english_client, log_in
from tests.indicators_fixture import END, START, build
from tests.participant_helpers import make_participant, pdf_file
from tests.test_admin_sites import site_form


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


@pytest.fixture
def programme(app, make_user, make_site):
    with app.test_request_context():
        return build(app, make_user, make_site)


def figures(site, anonymous=False) -> dict:
    report = indicators.report([site], START, END, anonymous=anonymous)
    return {figure.key: (figure.value, figure.suppressed) for _s, figure in report.figures()}


# Download --------------------------------------------------------------------------------------


def test_a_participant_downloads_her_data_readable_and_for_programs(app, signed_in_client):
    client, user = signed_in_client(Role.PARTICIPANT, display_name="Olena Kovalenko")
    make_participant(app, user, submit=True)
    client.post("/participants/me/cv", data={"cv": (io.BytesIO(pdf_file()), "Olena CV.pdf")})
    client.post("/account/", data={"language": "uk"})

    settings = client.get("/account/").get_data(as_text=True)
    assert "/privacy/my-data" in settings and "/privacy/erasure" in settings

    archive = unzip(client.get("/privacy/my-data"))
    assert sorted(archive.namelist()) == ["cv-Olena CV.pdf", "data.html", "data.json"]
    data = json.loads(archive.read("data.json"))
    assert data["person"]["name"] == "Olena Kovalenko"
    assert [step["to_status"] for step in data["status_history"]] == ["draft", "submitted"]
    assert data["account"][0]["email"] == user.email
    assert data["profile"][0]["date_of_birth"] == "2001-05-04"
    assert data["languages"] == [
        {"id": data["languages"][0]["id"], "profile_id": data["profile"][0]["id"],
         "language": "en", "level": "C1"}
    ]  # fmt: skip
    text = archive.read("data.json").decode()
    assert (
        "password_hash" not in text and "token_hash" not in text and user.password_hash not in text
    )

    page = archive.read("data.html").decode()
    assert '<html lang="uk">' in page
    assert "Ваші дані" in page  # the heading in her language
    assert "Дата народження" in page  # a field's name in her language
    assert "Olena Kovalenko" in page
    assert archive.read("cv-Olena CV.pdf").startswith(b"%PDF")

    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "privacy.exported")
    )
    assert entry.actor_id == user.id


def test_every_table_about_a_person_is_exported_or_says_why_not(app, make_user):
    """A new table that refers to a person must be added to the export, or to NOT_EXPORTED
    with a reason: nobody's data is forgotten by the right of access."""
    person_tables = {"user_account", "participant_profile", "mentor_profile"}
    referring = {
        table.name
        for table in Base.metadata.sorted_tables
        if any(
            fk.column.table.name in person_tables
            for column in table.columns
            for fk in column.foreign_keys
        )
    }
    user = make_user(Role.PARTICIPANT, Role.MENTOR)
    make_participant(app, user)
    with app.test_request_context():
        db.session.add(MentorProfile(user_id=user.id, site_id=user.site_id))
        db.session.flush()
        exported = {section.table for section in export.sections_of(user, keep_empty=True)}
    accounted = exported | set(export.NOT_EXPORTED) | set(export.READ_THROUGH)
    assert referring - accounted == set()
    assert set(export.READ_THROUGH.values()) <= exported


def test_every_shown_field_has_a_name_in_the_readers_language(app, programme, make_user):
    user = make_user(Role.PARTICIPANT, Role.MENTOR)
    make_participant(app, user)
    with app.test_request_context():
        db.session.add(MentorProfile(user_id=user.id, site_id=user.site_id))
        db.session.flush()
        tables = {section.table for section in export.sections_of(user, keep_empty=True)}
    columns = {
        column.name
        for table in Base.metadata.sorted_tables
        if table.name in tables
        for column in table.columns
        if column.name not in export.SECRET_COLUMNS
    }
    assert set(shown_fields(dict.fromkeys(columns))) - set(FIELD_LABELS) == set()
    with app.test_request_context():
        for profile in programme.profiles.values():
            for section in export.sections_of(profile.user):
                for row in section.rows:
                    assert set(shown_fields(row)) - set(FIELD_LABELS) == set(), section.key


def test_a_coordinator_downloads_the_data_of_a_participant_of_her_site_only(
    app, client, programme, make_user
):
    olena = programme.profiles["Olena"].user
    log_in(client, programme.coordinator)
    page = client.get(f"/participants/{programme.profiles['Olena'].id}").get_data(as_text=True)
    assert f"/privacy/people/{olena.id}/data" in page
    data = json.loads(unzip(client.get(f"/privacy/people/{olena.id}/data")).read("data.json"))
    assert data["person"]["name"] == "Olena"
    assert data["applications"] and data["placements"] and data["mentoring_sessions"]

    elsewhere = english_client(app)
    log_in(elsewhere, make_user(Role.COORDINATOR, site="linkoping"))
    assert elsewhere.get(f"/privacy/people/{olena.id}/data").status_code == 404


# Erasure ---------------------------------------------------------------------------------------


def test_erasure_needs_her_password_and_the_box_ticked(app, programme):
    client = english_client(app)
    olena = programme.profiles["Olena"].user
    log_in(client, olena)
    page = client.post("/privacy/erasure", data={"current_password": "wrong password"})
    text = page.get_data(as_text=True)
    assert "Please tick the box to confirm." in text
    page = client.post(
        "/privacy/erasure", data={"understood": "y", "current_password": "wrong password"}
    )
    assert "This is not your current password." in page.get_data(as_text=True)
    db.session.refresh(olena)
    assert olena.erasure_requested_at is None


def test_a_participant_asks_and_may_change_her_mind(app, programme):
    client = english_client(app)
    olena = programme.profiles["Olena"].user
    log_in(client, olena)
    answer = client.post(
        "/privacy/erasure",
        data={"understood": "y", "current_password": TEST_PASSWORD},
        follow_redirects=True,
    )
    assert "Your request was sent. A coordinator will confirm it." in answer.get_data(as_text=True)
    db.session.refresh(olena)
    assert erasure.is_pending(olena)
    [notice] = db.session.scalars(
        sa.select(Notification).where(
            Notification.user_id == programme.coordinator.id,
            Notification.link == f"/privacy/requests/{olena.id}",
        )
    )
    assert "Olena lūdza dzēst savus datus." in notice.text  # in Latvian, the site's language

    answer = client.post("/privacy/erasure/cancel", follow_redirects=True)
    assert "Your request was withdrawn. Nothing was erased." in answer.get_data(as_text=True)
    db.session.refresh(olena)
    assert not erasure.is_pending(olena)


def test_confirmed_erasure_anonymises_her_and_keeps_the_figures(app, programme, make_user):
    profile = programme.profiles["Olena"]
    olena = profile.user
    old_email = olena.email
    participant_client = english_client(app)
    log_in(participant_client, olena)
    participant_client.post("/participants/me/cv", data={"cv": (io.BytesIO(pdf_file()), "cv.pdf")})
    application_id = db.session.scalar(
        sa.select(Application.id).where(Application.participant_id == profile.id).limit(1)
    )
    db.session.add_all(
        [
            StatusChange(
                object_type="Application", object_id=application_id, from_status="submitted",
                to_status="declined", reason="Olena's Latvian is not yet good enough",
            ),
            Message(
                thread_kind="application", thread_id=application_id,
                author_id=programme.coordinator.id, body="Olena, how is your course going?",
            ),
        ]
    )  # fmt: skip
    db.session.commit()
    with app.test_request_context():
        before = figures(programme.site), figures(programme.site, anonymous=True)
        cv_file = participants.cv_path(profile)
    assert cv_file is not None and cv_file.exists()
    participant_client.post(
        "/privacy/erasure", data={"understood": "y", "current_password": TEST_PASSWORD}
    )

    coordinator = english_client(app)
    log_in(coordinator, programme.coordinator)
    dashboard = coordinator.get("/dashboard").get_data(as_text=True)
    assert "1 person asked for their data to be erased" in dashboard
    listing = coordinator.get("/privacy/requests").get_data(as_text=True)
    assert "Olena" in listing
    confirm = coordinator.get(f"/privacy/requests/{olena.id}").get_data(as_text=True)
    assert "Erase the data of Olena?" in confirm
    # Without the confirmation field nothing happens.
    coordinator.post(f"/privacy/requests/{olena.id}")
    db.session.refresh(olena)
    assert olena.erased_at is None

    done = coordinator.post(
        f"/privacy/requests/{olena.id}", data={"confirmed": "yes"}, follow_redirects=True
    )
    assert "The data was erased." in done.get_data(as_text=True)
    db.session.expire_all()
    olena = db.session.get(User, olena.id)
    assert olena.display_name == f"#{olena.id}"
    assert olena.email.endswith("@erased.invalid")
    assert not olena.check_password(TEST_PASSWORD)
    assert not cv_file.exists()
    motivations = db.session.scalars(
        sa.select(Application.motivation).where(Application.participant_id == profile.id)
    ).all()
    assert motivations and set(motivations) == {""}
    changes = db.session.scalars(
        sa.select(StatusChange.reason).where(
            StatusChange.object_type == "Application", StatusChange.object_id == application_id
        )
    ).all()
    assert changes and set(changes) == {""}
    assert db.session.scalars(
        sa.select(Message.body).where(Message.thread_id == application_id)
    ).all() == [""]
    assert sessions.live_sessions(olena) == []
    # Her open session ended at once: the next page asks to log in.
    assert participant_client.get("/dashboard").status_code == 302
    answer = english_client(app).post(
        "/login", data={"email": old_email, "password": TEST_PASSWORD}
    )
    assert "Welcome" not in answer.get_data(as_text=True)

    with app.test_request_context():
        assert figures(programme.site) == before[0]
        assert figures(programme.site, anonymous=True) == before[1]
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.summary.contains("Olena"))
        )
        == 0
    )
    assert coordinator.get("/privacy/requests").get_data(as_text=True).count("Olena") == 0


def test_a_coordinator_of_another_site_cannot_confirm(app, programme, make_user):
    olena = programme.profiles["Olena"].user
    with app.test_request_context():
        erasure.request_erasure(olena)
    other = english_client(app)
    log_in(other, make_user(Role.COORDINATOR, site="linkoping"))
    assert other.get(f"/privacy/requests/{olena.id}").status_code == 404
    assert other.post(f"/privacy/requests/{olena.id}", data={"confirmed": "yes"}).status_code == 404
    assert "Olena" not in other.get("/privacy/requests").get_data(as_text=True)
    db.session.refresh(olena)
    assert olena.erased_at is None


# Logs keep personal data out -------------------------------------------------------------------


def test_a_database_error_does_not_repeat_the_values_it_was_given(app, make_user):
    """The statement's parameters are never in an error's text; what PostgreSQL itself says of
    the row (the duplicate key) is left out where errors are logged."""
    make_user(Role.PARTICIPANT, email="taken@example.org")
    with pytest.raises(sa.exc.IntegrityError) as refused:
        make_user(Role.PARTICIPANT, email="taken@example.org")
    db.session.rollback()
    assert "[SQL parameters hidden due to hide_parameters=True]" in str(refused.value)
    assert "taken@example.org" not in str(_without_row_values(refused.value))


def test_the_rate_limiter_does_not_log_addresses_at_info(app):
    assert logging.getLogger("flask-limiter").getEffectiveLevel() >= logging.WARNING


# Retention -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "months", "expected"),
    [
        (datetime(2027, 3, 31, 2, 0, tzinfo=UTC), 1, datetime(2027, 2, 28, 2, 0, tzinfo=UTC)),
        (datetime(2027, 1, 15, tzinfo=UTC), 1, datetime(2026, 12, 15, tzinfo=UTC)),
        (datetime(2028, 2, 29, tzinfo=UTC), 12, datetime(2027, 2, 28, tzinfo=UTC)),
        (datetime(2027, 12, 1, tzinfo=UTC), 24, datetime(2025, 12, 1, tzinfo=UTC)),
    ],
)
def test_months_are_counted_on_the_calendar(instant, months, expected):
    assert retention.months_before(instant, months) == expected


def test_retention_anonymises_only_the_never_placed_and_keeps_the_figures(app, programme):
    site = programme.site
    site.retention_months = 12
    db.session.commit()
    later = datetime.now(UTC) + timedelta(days=800)  # two years after the accounts were made
    placed = set(db.session.scalars(sa.select(Placement.participant_id).distinct()))
    with app.test_request_context():
        before = figures(site)
        listed = retention.purge(later, dry_run=True)
    expected = {
        p.user_id
        for p in programme.profiles.values()
        if p.id not in placed and p.site_id == site.id
    }
    assert {person.user_id for person in listed} == expected
    assert db.session.scalar(sa.select(sa.func.count()).where(User.erased_at.is_not(None))) == 0

    with app.test_request_context():
        purged = retention.purge(later)
        assert {person.user_id for person in purged} == expected
        assert retention.purge(later) == []  # a second run finds nobody
        assert figures(site) == before
    for profile in programme.profiles.values():
        db.session.refresh(profile.user)
        assert (profile.user.erased_at is not None) == (profile.user_id in expected)
    actions = db.session.scalars(
        sa.select(AuditEntry.action).where(AuditEntry.action == "privacy.purged")
    ).all()
    assert len(actions) == len(expected)


def test_purge_from_the_command_line_with_a_dry_run_first(app, runner, make_user, make_site):
    site = make_site("riga")
    site.retention_months = 6
    gone = make_user(Role.PARTICIPANT, display_name="Gone Long Ago")
    recent = make_user(Role.PARTICIPANT, display_name="Logged In Lately")
    for user in (gone, recent):
        make_participant(app, user)
    now = datetime.now(UTC)
    gone.created_at = now - timedelta(days=400)
    recent.created_at = now - timedelta(days=400)
    recent.last_login_at = now - timedelta(days=20)
    db.session.commit()

    dry = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"would anonymise #{gone.id} (riga)" in dry.output
    assert "Would anonymise 1 participants." in dry.output
    db.session.refresh(gone)
    assert gone.erased_at is None

    real = runner.invoke(args=["privacy", "purge"])
    assert "Anonymised 1 participants." in real.output
    db.session.expire_all()
    assert db.session.get(User, gone.id).erased_at is not None
    assert db.session.get(User, recent.id).erased_at is None
    assert "Anonymised 0 participants." in runner.invoke(args=["privacy", "purge"]).output


def test_the_super_admin_sets_a_sites_retention_within_sensible_bounds(
    app, signed_in_client, make_site
):
    riga = make_site("riga")
    client, _admin = signed_in_client(Role.SUPER_ADMIN)
    page = client.post(f"/admin/sites/{riga.id}", data=site_form(slug="riga", retention_months="3"))
    assert "Enter a whole number from 6 to 240." in page.get_data(as_text=True)
    db.session.refresh(riga)
    assert riga.retention_months is None

    client.post(f"/admin/sites/{riga.id}", data=site_form(slug="riga", retention_months="24"))
    db.session.refresh(riga)
    assert riga.retention_months == 24
    client.post(f"/admin/sites/{riga.id}", data=site_form(slug="riga", retention_months=""))
    db.session.refresh(riga)
    assert riga.retention_months is None
