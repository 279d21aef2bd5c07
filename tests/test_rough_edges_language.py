"""Rough edges in wording, dates and labels found when the site was read as its people read it."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import get_locale

from marketplace.accounts.roles import Role
from marketplace.cli import extract_messages
from marketplace.extensions import db
from marketplace.languages import country_choices
from marketplace.mentors.models import MentorProfile
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.conftest import english_client, log_in
from tests.participant_helpers import make_participant
from tests.test_mentors import PROFILE_FORM
from tests.test_translations import load_catalog


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {code: load_catalog(code) for code in ("lv", "sv", "ru", "uk")}


@pytest.fixture(scope="module")
def source_keys(tmp_path_factory) -> set:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    extract_messages(pot)
    with pot.open("rb") as handle:
        return {(m.context, m.id) for m in read_po(handle) if m.id}


def translation(catalog: Catalog, msgid: str, context: str | None = None) -> str:
    return catalog.get(msgid, context=context).string


def test_latvian_outcome_hired_does_not_name_a_man(catalogs):
    assert not re.search(r"\bpieņemts\b", translation(catalogs["lv"], "Hired"), re.IGNORECASE)


def test_russian_speaks_of_anonymised_data_not_numbers_about_you(catalogs):
    calques = [
        str(m.id)
        for m in catalogs["ru"]
        if m.id and isinstance(m.string, str) and re.search(r"числа (?:о|обо) ", m.string, re.I)
    ]
    assert calques == []


def test_russian_completing_a_placement_does_not_say_on_time(catalogs):
    ru = catalogs["ru"]
    assert "в срок" not in translation(ru, "Mark as completed…")
    assert "в срок" not in translation(ru, "Yes, mark as completed")
    assert "в срок" not in translation(ru, "completed", "placement status")


def test_russian_status_badges_are_all_capitalised(catalogs):
    badges = {
        (m.context, m.id): m.string
        for m in catalogs["ru"]
        if m.context and m.context.endswith(" status")
    }
    assert badges
    assert [key for key, text in badges.items() if not text[:1].isupper()] == []


def test_event_training_and_posting_forms_each_have_their_own_title(source_keys):
    for context in ("event", "training session", "posting"):
        assert (context, "Title") in source_keys
        assert (context, "Please enter a title.") in source_keys
    assert ("event", "Kind") in source_keys
    assert (None, "Title") not in source_keys
    assert (None, "Kind") not in source_keys


def test_a_sent_mentor_profile_is_not_called_a_posting(app, make_user):
    mentor = english_client(app)
    log_in(mentor, make_user(Role.MENTOR))
    mentor.post("/mentors/me/profile", data=PROFILE_FORM)

    page = mentor.post("/mentors/me/submit", follow_redirects=True).get_data(as_text=True)

    assert "Your mentor profile is sent for review." in page


# Dates and times -------------------------------------------------------------------------------

AN_INSTANT = datetime(2026, 12, 4, 14, 3, 5, tzinfo=UTC)
DATE_PLACEHOLDERS = re.compile(r"%\((?:date|window|first|last|deadline|until|day|start|end)\)s\.")


def formatted(app, code: str, template: str, **values) -> str:
    with app.test_request_context(headers={"Accept-Language": code}):
        return render_template_string(template, **values)


def test_english_pages_write_the_day_before_the_month_in_english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert str(get_locale()) == "en"
        page = render_template_string(
            '{{ d | dateformat("medium") }}|{{ d | datetimeformat("short") }}', d=AN_INSTANT
        )
    assert page == "4 Dec 2026|04/12/2026, 16:03"  # Riga's time in December: UTC+2


@pytest.mark.parametrize("code", ["en", "lv", "sv", "ru", "uk"])
def test_times_never_show_seconds(app, code):
    page = formatted(
        app,
        code,
        '{{ d | datetimeformat("medium") }}|{{ d | datetimeformat("long") }}|'
        '{{ d | datetimeformat }}|{{ d | timeformat("medium") }}|{{ d | timeformat }}',
        d=AN_INSTANT,
    )
    assert "16:03" in page
    assert ":05" not in page


@pytest.mark.parametrize("code", ["lv", "ru", "uk"])
def test_a_date_ending_in_an_abbreviation_gets_no_second_full_stop(app, catalogs, code):
    assert formatted(app, code, '{{ d | dateformat("medium") }}', d=AN_INSTANT).endswith(".")
    doubled = [
        str(m.id)
        for m in catalogs[code]
        if m.id and isinstance(m.string, str) and DATE_PLACEHOLDERS.search(m.string)
    ]
    assert doubled == []


def test_the_dashboard_shows_the_login_before_this_one(app, make_user):
    user = make_user(Role.PARTICIPANT)
    earlier = english_client(app)
    log_in(earlier, user).created_at = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    db.session.commit()
    client = english_client(app)
    log_in(client, user)

    page = client.get("/dashboard").get_data(as_text=True)

    assert "Last login: 20 Nov 2026, 10:15" in page


def test_a_first_login_shows_no_last_login(app, make_user):
    client = english_client(app)
    log_in(client, make_user(Role.PARTICIPANT))

    assert "Last login" not in client.get("/dashboard").get_data(as_text=True)


# Labels -------------------------------------------------------------------------------------


def test_the_coordinator_reads_a_participant_in_the_third_person(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    profile = make_participant(app, make_user(Role.PARTICIPANT), submit=True)
    client = english_client(app)
    log_in(client, coordinator)

    page = client.get(f"/participants/{profile.id}").get_data(as_text=True)

    assert "Level in the local language" in page and "Does not speak it yet" in page
    assert "Work interests" in page
    assert "Your level" not in page and "interests you" not in page
    assert "Comment for the participant" in page and "Comment for the employer" not in page


def test_returning_an_accepted_offer_speaks_to_employer_and_participant(app, make_user):
    world = make_world(app, make_user)
    posting = posting_for(app, world, kind="job")
    profile = approved_participant(app, make_user, world.coordinator)
    application = accepted_application(app, world, posting, profile)
    client = english_client(app)
    log_in(client, world.coordinator)

    page = client.get(f"/applications/{application.id}").get_data(as_text=True)

    assert "Comment for the employer and the participant" in page


def test_a_mentor_profile_under_review_gets_a_comment_for_the_mentor(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    mentor = english_client(app)
    log_in(mentor, make_user(Role.MENTOR))
    mentor.post("/mentors/me/profile", data=PROFILE_FORM)
    mentor.post("/mentors/me/submit")
    profile = db.session.scalar(sa.select(MentorProfile))
    client = english_client(app)
    log_in(client, coordinator)

    page = client.get(f"/mentors/{profile.id}").get_data(as_text=True)

    assert "Comment for the mentor" in page and "Comment for the employer" not in page


# Countries ----------------------------------------------------------------------------------


def countries_in(app, code: str) -> list[str]:
    with app.test_request_context(headers={"Accept-Language": code}):
        return [name for _, name in country_choices()]


def test_the_country_list_holds_real_countries_only(app):
    names = countries_in(app, "en")
    for not_a_country in ("Pseudo-Bidi", "Pseudo-Accents", "Eurozone", "European Union",
                          "United Nations", "Unknown Region", "Outlying Oceania", "World",
                          "Europe", "Canary Islands"):  # fmt: skip
        assert not_a_country not in names
    assert {"Latvia", "Sweden", "India", "Sri Lanka", "Ukraine", "Uzbekistan"} <= set(names)
    assert len(names) == 250  # ISO 3166-1's 249 and Kosovo


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        ("en", "Afghanistan", "Åland Islands"),
        ("en", "Åland Islands", "Albania"),
        ("lv", "Centrālāfrikas Republika", "Čada"),
        ("lv", "Čīle", "Dānija"),
        ("sv", "Zimbabwe", "Österrike"),
        ("ru", "Израиль", "Йемен"),
        ("uk", "Естонія", "Єгипет"),
        ("uk", "Ізраїль", "Індія"),
        ("uk", "Ірландія", "Ісландія"),
    ],
)
def test_countries_are_sorted_in_the_pages_language(app, code, before, after):
    names = countries_in(app, code)
    assert names.index(before) < names.index(after)


def test_the_profile_form_offers_the_real_countries(app, make_user):
    client = english_client(app)
    log_in(client, make_user(Role.PARTICIPANT))

    page = client.get("/participants/me/profile").get_data(as_text=True)

    assert ">Latvia<" in page and "Eurozone" not in page and "Pseudo" not in page
