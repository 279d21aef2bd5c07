"""Word search through the tables' search indexes: found rows follow every change, rare and
common words find the same rows, long result lists are counted only so far, and a training
session finds participants to enrol by name instead of listing every one."""

import re
from datetime import time

import pytest

from marketplace import pagination, search
from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.organisations import services as organisations
from marketplace.training import services as training
from tests.application_helpers import approved_participant
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.employer_helpers import employer_world, make_posting


def people_found(client, words: str) -> list[str]:
    page = client.get(f"/admin/users?q={words}").get_data(as_text=True)
    return re.findall(r'<a href="/admin/users/\d+">([^<]+)</a>', page)


def test_a_renamed_person_is_found_by_the_new_name_only(signed_in_client, make_user):
    person = make_user(Role.PARTICIPANT, display_name="Oksana Kovalenko")
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    assert people_found(admin, "kovalenko") == ["Oksana Kovalenko"]

    person.display_name = "Oksana Melnyk"
    db.session.commit()
    assert people_found(admin, "kovalenko") == []
    assert people_found(admin, "MELNYK") == ["Oksana Melnyk"]

    db.session.delete(person)
    db.session.commit()
    assert people_found(admin, "melnyk") == []


@pytest.mark.parametrize("common_from", [1, search.COMMON], ids=["common", "rare"])
def test_rare_and_common_words_find_the_same_people(
    signed_in_client, make_user, monkeypatch, common_from
):
    """Words found in many rows are searched by reading the table in name order, rare ones
    through the index; the people found must not depend on which."""
    monkeypatch.setattr(search, "COMMON", common_from)
    for name in ("Anna Kovaļova", "Boris Kovalenko", "Darja Ivanova", "Jo Li"):
        make_user(Role.PARTICIPANT, display_name=name)
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    assert people_found(admin, "koval") == ["Anna Kovaļova", "Boris Kovalenko"]
    assert people_found(admin, "nova") == ["Darja Ivanova"]
    assert people_found(admin, "li") == ["Jo Li"]  # too short for the index's trigrams
    assert people_found(admin, "va kov") == []  # the words as written, side by side


def test_postings_are_found_by_their_organisations_new_name(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    make_posting(app, organisation, owner, coordinator, title="Receptionist")
    visitor = english_client(app)
    assert "Receptionist" in visitor.get("/postings/?q=perle").get_data(True)
    assert "Receptionist" not in visitor.get("/postings/?q=lighthouse").get_data(True)

    with app.test_request_context():
        organisations.update_details(owner, organisation, {"name": "Lighthouse Inn"})
    db.session.commit()
    assert "Nothing matches this search." in visitor.get("/postings/?q=perle").get_data(True)
    assert "Receptionist" in visitor.get("/postings/?q=LIGHTHOUSE").get_data(True)


def test_a_long_list_of_people_is_counted_only_so_far(signed_in_client, make_user, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_UP_TO", 3)
    for number in range(5):
        make_user(Role.PARTICIPANT, display_name=f"Kovalenko {number}")
    admin, _ = signed_in_client(Role.SUPER_ADMIN)
    page = admin.get("/admin/users?q=kovalenko").get_data(as_text=True)
    assert "More than 3 people. Add words or filters to find fewer." in page
    assert "Kovalenko 0" in page

    few = admin.get("/admin/users?q=kovalenko 4").get_data(as_text=True)
    assert "1 person" in few and "More than" not in few


def test_a_coordinator_finds_a_participant_to_enrol_by_name(app, make_user, make_site):
    riga = make_site("riga")
    coordinator_user = make_user(Role.COORDINATOR)
    coordinator = english_client(app)
    log_in(coordinator, coordinator_user)
    lesson = training.create(
        coordinator_user,
        riga,
        {"category": "local_language", "title": "Latvian A1", "held_on": site_today(),
         "starts_at": time(10), "minutes": 90, "trainer": "Inese",
         "capacity": 5, "title_translations": {}},
    )  # fmt: skip
    anna = approved_participant(app, make_user, coordinator_user, display_name="Anna Bērziņa")
    approved_participant(app, make_user, coordinator_user, display_name="Annika Berg")
    make_user(Role.PARTICIPANT, display_name="Anna Draft")  # no approved profile
    training.enrol(coordinator_user, lesson, anna)

    page = coordinator.get(f"/training/{lesson.id}").get_data(as_text=True)
    assert "Enrol a participant" in page and "Annika" not in page  # nobody listed unasked

    found = coordinator.get(f"/training/{lesson.id}?who=ANN").get_data(as_text=True)
    enrol_buttons = re.findall(r'name="participant" value="(\d+)"', found)
    assert len(enrol_buttons) == 1  # Anna is enrolled already, Anna Draft is not approved
    assert "Annika Berg" in found

    nobody = coordinator.get(f"/training/{lesson.id}?who=zzz").get_data(as_text=True)
    assert "No approved participant who is not enrolled yet matches “zzz”." in nobody

    coordinator.post(f"/training/{lesson.id}/enrol", data={"participant": enrol_buttons[0]})
    db.session.refresh(lesson)
    assert sorted(e.participant.user.display_name for e in lesson.enrolments) == [
        "Anna Bērziņa",
        "Annika Berg",
    ]
