"""Certificates: issued as a record with a code, shown as a page to print, checked by anyone
with the code, replaced by a newer one when issued again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.applications import services as applications
from marketplace.audit.models import AuditEntry
from marketplace.certificates import services as certificates
from marketplace.certificates.models import Certificate
from marketplace.events import services as events
from marketplace.events.models import Rsvp
from marketplace.extensions import db, limiter
from marketplace.i18n import format_date
from marketplace.links import url_for_email
from marketplace.notifications.models import Notification
from marketplace.placements import services as placements
from marketplace.plans.models import Measure
from marketplace.training import services as training
from marketplace.training.models import TrainingCategory
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import english_client, log_in

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{12}$")


@dataclass
class Delivered:
    coordinator: object
    profile: object
    placement: object
    organisation: object
    posting: object


def attended_training(coordinator, profile, category, days_ago: int, minutes: int):
    lesson = training.create(coordinator, profile.site, {
        "category": category, "title": f"{category.value} class", "trainer": "Inese",
        "held_on": site_today() - timedelta(days=days_ago), "starts_at": time(10),
        "minutes": minutes, "capacity": 5})  # fmt: skip
    training.enrol(coordinator, lesson, profile)
    training.record_attendance(coordinator, lesson, {lesson.enrolments[0].id})


def attended_event(coordinator, profile, days_ago: int, hours: int):
    start = datetime.now(UTC) - timedelta(days=days_ago)
    event = events.create(coordinator, profile.site_id, {
        "kind": "excursion", "title": "Hotel visit", "description": "", "venue": "Hotel",
        "starts_at": start, "ends_at": start + timedelta(hours=hours), "capacity": 5})  # fmt: skip
    # Signing up closes when the event is over; the attendance list is what counts.
    db.session.add(Rsvp(event_id=event.id, user_id=profile.user_id, attended=True))
    db.session.commit()


@pytest.fixture
def delivered(app, make_user) -> Delivered:
    """A participant with a mentoring placement, two confirmed sessions (2.5 hours), training in
    two categories (2 and 1.5 hours) and a two-hour excursion."""
    world = make_world(app, make_user)
    posting = posting_for(
        app,
        world,
        title="Reception mentoring",
        start_date=site_today() - timedelta(days=14),
        end_date=site_today() + timedelta(days=60),
    )
    profile = approved_participant(
        app, make_user, world.coordinator, display_name="Oksana Shevchenko",
        email="oksana@example.org",
    )  # fmt: skip
    application = accepted_application(app, world, posting, profile)
    with app.test_request_context():
        placement = applications.approve(world.coordinator, application)
        for minutes in (90, 60):
            session = placements.log_session(
                world.mentor.user, placement, site_today() - timedelta(days=3), minutes, "Desk", ""
            )
            placements.answer_session(profile.user, session, True)
        attended_training(world.coordinator, profile, TrainingCategory.LOCAL_LANGUAGE, 10, 120)
        attended_training(world.coordinator, profile, TrainingCategory.CULTURE, 5, 90)
        attended_event(world.coordinator, profile, 7, 2)
    return Delivered(world.coordinator, profile, placement, world.organisation, posting)


def client_for(app, user):
    client = english_client(app)
    log_in(client, user)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def issue(app, delivered) -> Certificate:
    response = client_for(app, delivered.coordinator).post(
        f"/participants/{delivered.profile.id}/certificate/issue"
    )
    assert response.status_code == 302
    db.session.expire_all()
    return certificates.latest_for(delivered.profile)


def long_date(day) -> str:
    return format_date(day, "long")


# Issuing ----------------------------------------------------------------------------------------


def test_issuing_records_a_code_and_a_snapshot_of_what_was_done(app, delivered):
    certificate = issue(app, delivered)

    assert CODE.match(certificate.code)
    assert certificate.issued_by_id == delivered.coordinator.id
    snapshot = certificates.snapshot_of(certificate)
    assert snapshot.holder == "Oksana Shevchenko"
    assert snapshot.site == "Riga"
    assert snapshot.issued_by == "Ilze"
    assert snapshot.minutes == {
        Measure.LOCAL_LANGUAGE: 120,
        Measure.CULTURE: 90,
        Measure.WORKPLACE_MENTORING: 150,
        Measure.EVENTS: 120,
    }
    assert snapshot.events_attended == 1
    (line,) = snapshot.placements
    assert (line.organisation, line.posting) == (delivered.organisation.name, "Reception mentoring")
    assert line.start == delivered.placement.start_date
    assert line.end is None  # still going on when issued
    # From the first activity (the placement's start) to the day of issue (it still runs).
    assert (snapshot.start, snapshot.end) == (delivered.placement.start_date, site_today())

    audit = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "participant.certificate_issued")
    )
    assert audit.summary == certificates.formatted(certificate.code)
    notice = db.session.scalar(
        sa.select(Notification).where(Notification.user_id == delivered.profile.user_id)
        .order_by(Notification.id.desc()).limit(1)
    )  # fmt: skip
    assert notice.link == f"/participants/{delivered.profile.id}/certificate"


def test_the_period_runs_from_the_first_to_the_last_activity(app, make_user):
    world = make_world(app, make_user)
    profile = approved_participant(app, make_user, world.coordinator)
    with app.test_request_context():
        attended_training(world.coordinator, profile, TrainingCategory.CULTURE, 30, 60)
        attended_training(world.coordinator, profile, TrainingCategory.CULTURE, 10, 60)
    snapshot = certificates.preview(profile)
    assert (snapshot.start, snapshot.end) == (
        site_today() - timedelta(days=30),
        site_today() - timedelta(days=10),
    )


def test_without_any_activity_the_period_runs_from_approval_to_issue(app, make_user):
    world = make_world(app, make_user)
    profile = approved_participant(app, make_user, world.coordinator)
    snapshot = certificates.preview(profile)
    assert (snapshot.start, snapshot.end) == (site_today(), site_today())
    assert snapshot.minutes == {} and snapshot.placements == ()


def test_what_happens_after_issue_does_not_change_the_certificate(app, delivered):
    certificate = issue(app, delivered)
    with app.test_request_context():
        attended_training(delivered.coordinator, delivered.profile, TrainingCategory.CULTURE, 1, 60)
    db.session.refresh(certificate)
    assert certificates.snapshot_of(certificate).minutes[Measure.CULTURE] == 90
    assert certificates.preview(delivered.profile).minutes[Measure.CULTURE] == 150


# The certificate page --------------------------------------------------------------------------


def test_issued_certificate_shows_hours_per_category_placements_and_how_to_check_it(app, delivered):
    certificate = issue(app, delivered)
    page = text_of(
        client_for(app, delivered.profile.user).get(
            f"/participants/{delivered.profile.id}/certificate?language=en"
        )
    )
    for label, hours in [
        ("Local language", "2"),
        ("Culture and society", "1.5"),
        ("Workplace mentoring", "2.5"),
        ("Events: seminars, conferences and excursions", "2"),
        ("Total", "8"),
    ]:
        assert re.search(rf"{re.escape(label)}.{{0,200}}?<td class=\"text-end\">{hours}</td>", page)
    assert "1 event attended" in page
    assert delivered.organisation.name in page and "Reception mentoring" in page
    assert f"since {format_date(delivered.placement.start_date, 'medium')}" in page
    assert "Mentoring marketplace · Riga" in page
    code = certificates.formatted(certificate.code)
    assert code in page
    with app.test_request_context():
        address = url_for_email("certificates.show", code=code)
    assert address.startswith("http") and f'href="{address}"' in page
    assert "css/certificate.css" in page
    assert "Preview: not issued yet" not in page


def test_before_issue_the_coordinator_sees_a_preview_and_the_issue_button(app, delivered):
    page = text_of(
        client_for(app, delivered.coordinator).get(
            f"/participants/{delivered.profile.id}/certificate?language=en"
        )
    )
    assert "Preview: not issued yet" in page
    assert "This is a preview. The certificate is not issued yet" in page
    assert f'action="/participants/{delivered.profile.id}/certificate/issue"' in page
    assert "Verification code" not in page
    assert "Culture and society" in page  # the figures it would certify


def test_before_issue_the_participant_is_told_it_is_not_issued(app, delivered):
    page = text_of(
        client_for(app, delivered.profile.user).get(
            f"/participants/{delivered.profile.id}/certificate?language=en"
        )
    )
    assert "Your certificate is not issued yet." in page
    assert "Preview: not issued yet" in page
    assert "/certificate/issue" not in page


def test_the_certificate_is_in_the_participants_language_unless_another_is_chosen(app, make_user):
    world = make_world(app, make_user)
    profile = approved_participant(app, make_user, world.coordinator, preferred_locale="lv")
    coordinator = client_for(app, world.coordinator)
    own = coordinator.get(f"/participants/{profile.id}/certificate").get_data(as_text=True)
    assert '<html lang="lv">' in own
    # The coordinator's controls stay in the coordinator's language.
    assert 'lang="en"' in own and "Issue the certificate to the participant" in own
    chosen = coordinator.get(f"/participants/{profile.id}/certificate?language=sv")
    assert '<html lang="sv">' in chosen.get_data(as_text=True)
    unknown = coordinator.get(f"/participants/{profile.id}/certificate?language=xx")
    assert '<html lang="lv">' in unknown.get_data(as_text=True)


def test_the_journey_links_to_the_certificate_and_shows_its_code(app, delivered):
    journey = f"/participants/{delivered.profile.id}/journey"
    participant = client_for(app, delivered.profile.user)
    assert "The certificate is not issued yet." in text_of(participant.get(journey))
    certificate = issue(app, delivered)
    page = text_of(participant.get(journey))
    assert certificates.formatted(certificate.code) in page
    assert f'href="/participants/{delivered.profile.id}/certificate"' in page


# Who may ----------------------------------------------------------------------------------------


def test_a_participant_cannot_issue_their_own_certificate(app, delivered):
    response = client_for(app, delivered.profile.user).post(
        f"/participants/{delivered.profile.id}/certificate/issue"
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_another_sites_coordinator_cannot_see_or_issue_the_certificate(app, make_user, delivered):
    issue(app, delivered)
    elsewhere = client_for(app, make_user(Role.COORDINATOR, site="linkoping"))
    path = f"/participants/{delivered.profile.id}/certificate"
    assert elsewhere.get(path).status_code == 404
    assert elsewhere.post(f"{path}/issue").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


def test_a_profile_not_yet_approved_gets_no_certificate(app, make_user):
    world = make_world(app, make_user)
    from tests.participant_helpers import make_participant

    profile = make_participant(app, make_user(Role.PARTICIPANT), submit=True)
    response = client_for(app, world.coordinator).post(
        f"/participants/{profile.id}/certificate/issue", follow_redirects=True
    )
    assert "only once the profile is approved" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


# The public check -------------------------------------------------------------------------------


def test_the_public_page_confirms_name_period_and_totals_and_nothing_else(app, delivered):
    certificate = issue(app, delivered)
    code = certificates.formatted(certificate.code)
    response = english_client(app).get(f"/certificates/{code}")
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex"
    page = text_of(response)
    assert "This certificate was issued by the programme." in page
    assert "Oksana Shevchenko" in page and code in page
    start, end = delivered.placement.start_date, site_today()
    assert f"{long_date(start)} – {long_date(end)}" in page
    for label, value in [
        ("Training hours attended", "3.5"),
        ("Mentoring hours (confirmed)", "2.5"),
        ("Events attended", "1"),
        ("Placements", "1"),
    ]:
        assert re.search(rf"<dt[^>]*>{re.escape(label)}</dt>\s?<dd[^>]*>{value}</dd>", page)
    profile = delivered.profile
    for private in (
        profile.user.email,
        str(profile.date_of_birth.year),
        delivered.organisation.name,
        "Reception mentoring",
        "Culture and society",
        "Ilze",
    ):
        assert private not in page
    assert "newer certificate" not in page


def test_codes_are_found_however_they_are_typed(app, delivered):
    certificate = issue(app, delivered)
    code = certificate.code
    client = english_client(app)
    for typed in (
        code.lower(),
        f" {code[:4]} {code[4:8]} {code[8:]} ",
        certificates.formatted(code),
        "–".join([code[:6], code[6:]]),  # an en dash, as word processors write it
    ):
        response = client.get("/certificates/verify", query_string={"code": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"] == f"/certificates/{certificates.formatted(code)}"


def test_look_alike_characters_are_read_as_the_code_means_them():
    assert certificates.normalised("k7qm-2xwp-94rt") == "K7QM2XWP94RT"
    assert certificates.normalised("K7QM 2XWP 94RO") == "K7QM2XWP94R0"  # O is zero
    assert certificates.normalised("ilQM-2XWP-94RT") == "11QM2XWP94RT"  # I and L are one
    assert certificates.normalised("К7QМ-2ХWР-94RТ") == "K7QM2XWP94RT"  # Cyrillic capitals
    assert certificates.normalised("K7QM-2XWP-94R") is None  # too short
    assert certificates.normalised("K7QM-2XWP-94RU") is None  # U is never in a code
    assert certificates.normalised("K" * 41) is None


def test_an_unknown_code_gets_a_kind_message_next_to_the_field(app, delivered):
    issue(app, delivered)
    client = english_client(app)
    form = client.get("/certificates/verify", query_string={"code": "AAAA-BBBB-CCCC"})
    assert form.status_code == 200
    page = text_of(form)
    assert 'id="code-error"' in page
    assert "There is no certificate with this code." in page
    assert 'value="AAAA-BBBB-CCCC"' in page  # kept, to correct it

    direct = client.get("/certificates/AAAA-BBBB-CCCC")
    assert direct.status_code == 404
    assert "There is no certificate with this code." in text_of(direct)

    empty = text_of(client.get("/certificates/verify", query_string={"code": ""}))
    assert "Please enter the code printed on the certificate." in empty
    assert "There is no certificate" not in text_of(client.get("/certificates/verify"))


def test_a_new_certificate_replaces_the_earlier_one(app, delivered):
    first = issue(app, delivered)
    second = issue(app, delivered)
    assert first.code != second.code

    client = english_client(app)
    earlier = text_of(client.get(f"/certificates/{first.code}"))
    assert "This certificate was issued by the programme." in earlier
    assert "A newer certificate was issued to the same person on" in earlier
    assert second.code not in earlier and certificates.formatted(second.code) not in earlier
    assert "newer certificate" not in text_of(client.get(f"/certificates/{second.code}"))

    page = text_of(
        client_for(app, delivered.coordinator).get(
            f"/participants/{delivered.profile.id}/certificate"
        )
    )
    assert certificates.formatted(second.code) in page
    assert certificates.formatted(first.code) not in page
    assert "Issue a new certificate" in page


# Guessing codes ---------------------------------------------------------------------------------


@pytest.fixture
def few_lookups(app):
    app.config["CERTIFICATE_LOOKUPS_PER_IP"] = "3 per hour"
    limiter.reset()
    yield
    limiter.reset()


def from_address(app, address: str):
    client = english_client(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_unknown_codes_are_limited_per_address(app, delivered, few_lookups):
    code = issue(app, delivered).code
    guesser = from_address(app, "10.0.0.7")
    answers = [
        guesser.get(f"/certificates/{guess}").status_code
        for guess in ("AAAABBBBCCCC", "AAAABBBBCCCD", "AAAABBBBCCCE")
    ]
    assert answers == [404, 404, 404]
    # The form and the code's own address share the limit; once used up, both refuse.
    limited = guesser.get("/certificates/verify", query_string={"code": "AAAABBBBCCCF"})
    assert limited.status_code == 429
    assert "Too many attempts" in limited.get_data(as_text=True)
    assert guesser.get(f"/certificates/{code}").status_code == 429
    # Another address is not affected.
    assert from_address(app, "10.0.0.8").get(f"/certificates/{code}").status_code == 200


def test_codes_that_exist_never_use_the_limit_up(app, delivered, few_lookups):
    code = issue(app, delivered).code
    employer = from_address(app, "10.0.0.9")
    for _ in range(6):
        assert employer.get(f"/certificates/{code}").status_code == 200
        assert employer.get("/certificates/verify", query_string={"code": code}).status_code == 302
    assert employer.get("/certificates/verify").status_code == 200
    assert employer.get("/certificates/AAAABBBBCCCC").status_code == 404
