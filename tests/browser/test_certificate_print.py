"""The certificate in a real browser: printed, it is exactly one A4 page in every language, even
for a participant with every kind of training, three placements and long names; on screen, the
page and the public check read well on a desktop and a phone."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

import pytest
from pypdf import PdfReader

from marketplace.applications import services as applications
from marketplace.certificates import services as certificates
from marketplace.events import services as events
from marketplace.events.models import Rsvp
from marketplace.extensions import db
from marketplace.i18n import LANGUAGES
from marketplace.participants import services as participants
from marketplace.placements import services as placements
from marketplace.sites.models import TrainingCategory
from marketplace.training import services as training
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.browser.conftest import PHONE, SCREENSHOTS, settle, sweep
from tests.clock import site_today
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

# 210 by 297 mm in points; Chromium rounds the page to whole CSS pixels.
A4_POINTS = (595.3, 841.9)


def busy_participant(app, make_user):
    """As much as a certificate ever holds: every training category, confirmed mentoring, an
    event, three placements at a hotel with a long name, and a long name of the participant's
    own."""
    world = make_world(app, make_user, mentor_places=3)
    profile = approved_participant(
        app, make_user, world.coordinator, email="oleksandra@example.org",
        display_name="Oleksandra Volodymyrivna Kovalchuk-Shevchenko", preferred_locale="uk",
    )  # fmt: skip
    world.organisation.name = "Grand Hotel Riga Old Town Conference and Spa Centre"
    start, end = site_today() - timedelta(days=60), site_today() + timedelta(days=60)
    kinds = [
        ("mentoring", "Front desk and guest relations mentoring"),
        ("internship", "Internship in the banqueting and events kitchen"),
        ("job", "Breakfast cook, part time, weekend shifts"),
    ]
    with app.test_request_context():
        for kind, title in kinds:
            posting = posting_for(
                app, world, kind=kind, title=title, start_date=start, end_date=end
            )
            placement = applications.approve(
                world.coordinator, accepted_application(app, world, posting, profile)
            )
            if kind == "mentoring":
                for days_ago in (20, 13, 6):
                    session = placements.log_session(
                        world.mentor.user, placement, site_today() - timedelta(days=days_ago),
                        90, "Check-in", "",
                    )  # fmt: skip
                    placements.answer_session(profile.user, session, True)
        for number, category in enumerate(TrainingCategory):
            lesson = training.create(world.coordinator, profile.site, {
                "category": category, "title": f"Group {number}", "trainer": "Inese",
                "held_on": site_today() - timedelta(days=30 + number), "starts_at": time(10),
                "minutes": 120 + 15 * number, "capacity": 5})  # fmt: skip
            training.enrol(world.coordinator, lesson, profile)
            db.session.refresh(lesson)  # the browser tests keep loaded objects after commits
            training.record_attendance(world.coordinator, lesson, {lesson.enrolments[0].id})
        began = datetime.now(UTC) - timedelta(days=9)
        event = events.create(world.coordinator, profile.site_id, {
            "kind": "conference", "title": "Hospitality jobs day", "description": "",
            "venue": "Hotel", "starts_at": began, "ends_at": began + timedelta(hours=3),
            "capacity": 50})  # fmt: skip
    db.session.add(Rsvp(event_id=event.id, user_id=profile.user_id, attended=True))
    db.session.commit()
    return world, profile


def test_the_printed_certificate_is_one_a4_page_in_every_language(app, make_user, visit):
    world, profile = busy_participant(app, make_user)
    path = f"/participants/{profile.id}/certificate"
    with app.test_request_context():
        code = certificates.formatted(
            participants.issue_certificate(world.coordinator, profile).code
        )
    coordinator_email = world.coordinator.email
    settle()

    person = visit("uk")
    person.log_in("oleksandra@example.org", TEST_PASSWORD)
    for language in LANGUAGES:
        page = person.go(f"{path}?language={language}")
        assert code in page.content()
        printout = page.pdf(format="A4")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"certificate-{language}.pdf").write_bytes(printout)  # to look at
        pdf = PdfReader(io.BytesIO(printout))
        assert len(pdf.pages) == 1, f"{language}: {len(pdf.pages)} pages"
        size = [float(side) for side in pdf.pages[0].mediabox.upper_right]
        assert size == pytest.approx(A4_POINTS, abs=1.5)
        printed = pdf.pages[0].extract_text()
        assert code in printed and "Kovalchuk" in printed
        # Nothing of the page around the certificate is printed.
        assert "/certificate/issue" not in printed

    coordinator = visit("en")
    coordinator.log_in(coordinator_email, TEST_PASSWORD)
    coordinator.go(path)
    public = visit("lv", viewport=PHONE)
    public.go(f"/certificates/{code}")
    public.go("/certificates/verify?code=AAAA-BBBB-CCCC")
    problems = []
    for name, each, locale in [
        ("certificate", person, "uk"),
        ("certificate-coordinator", coordinator, "en"),
        ("certificate-check", public, "lv"),
    ]:
        problems += sweep(each, name, locale)
    assert problems == [], "\n".join(problems)


def test_a_preview_prints_marked_as_not_issued(app, make_user, visit):
    world, profile = busy_participant(app, make_user)
    coordinator_email = world.coordinator.email
    settle()
    coordinator = visit("en")
    coordinator.log_in(coordinator_email, TEST_PASSWORD)
    page = coordinator.go(f"/participants/{profile.id}/certificate?language=en")
    printout = page.pdf(format="A4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "certificate-preview-en.pdf").write_bytes(printout)
    pdf = PdfReader(io.BytesIO(printout))
    assert len(pdf.pages) == 1
    printed = pdf.pages[0].extract_text()
    assert "not issued yet" in printed.lower()
    assert "This is a preview" not in printed  # the controls are not printed
    assert sweep(coordinator, "certificate-preview", "en") == []
