"""Rough edges in wording, dates and labels found when the site was read as its people read it."""

import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from marketplace.accounts.roles import Role
from marketplace.cli import extract_messages
from tests.conftest import english_client, log_in
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
    assert "в срок" not in translation(ru, "Mark as completed")
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
