"""Coordinators and employers find approved mentors with free capacity in a given week."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.mentors import services
from marketplace.mentors.models import Expertise
from tests.clock import site_today
from tests.conftest import english_client, log_in
from tests.employer_helpers import employer_world
from tests.mentor_helpers import make_mentor

pytestmark = pytest.mark.clock


def names(response) -> set[str]:
    page = response.get_data(as_text=True)
    return {name for name in ("Anna", "Boris", "Carl", "Dace") if f">{name}</a>" in page}


@pytest.fixture
def world(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    anna = make_mentor(
        app,
        make_user(Role.MENTOR, display_name="Anna"),
        coordinator,
        languages=[("lv", CefrLevel.NATIVE), ("en", CefrLevel.B2)],
        expertise=[Expertise.FRONT_OFFICE],
    )
    boris = make_mentor(
        app,
        make_user(Role.MENTOR, display_name="Boris"),
        coordinator,
        languages=[("ru", CefrLevel.C1), ("lv", CefrLevel.A2)],
        expertise=[Expertise.KITCHEN],
        max_mentees=1,
        windows=[(3, time(14), time(17))],
    )
    make_mentor(app, make_user(Role.MENTOR, display_name="Carl"), coordinator, approve=False)
    dace = make_mentor(
        app, make_user(Role.MENTOR, display_name="Dace"), coordinator, organisation=organisation
    )
    with app.test_request_context():
        services.confirm_organisation(owner, dace)
    client = english_client(app)
    log_in(client, coordinator)
    return {
        "client": client,
        "anna": anna,
        "boris": boris,
        "dace": dace,
        "organisation": organisation,
    }


def test_only_approved_mentors_are_found(world):
    assert names(world["client"].get("/mentors/")) == {"Anna", "Boris", "Dace"}


def test_language_with_a_minimum_level(world):
    client = world["client"]
    assert names(client.get("/mentors/?language=ru")) == {"Boris"}
    assert names(client.get("/mentors/?language=lv&min_level=B2")) == {"Anna", "Dace"}
    assert names(client.get("/mentors/?language=lv&min_level=A2")) == {"Anna", "Boris", "Dace"}


def test_expertise_and_organisation(world):
    client = world["client"]
    assert names(client.get("/mentors/?expertise=kitchen")) == {"Boris", "Dace"}
    organisation = world["organisation"]
    assert names(client.get(f"/mentors/?organisation={organisation.name}")) == {"Dace"}


def test_free_capacity_in_a_given_week(app, world):
    client = world["client"]
    boris = world["boris"]
    boris.active_mentees = 1
    db.session.commit()
    assert "Boris" not in names(client.get("/mentors/?free_only=y"))

    next_week = site_today() + timedelta(days=7)
    monday = next_week - timedelta(days=next_week.weekday())
    anna = world["anna"]
    with app.test_request_context():
        services.add_unavailability(anna.user, anna, monday, monday + timedelta(days=6), "")
    found = names(client.get(f"/mentors/?week_of={next_week.isoformat()}"))
    assert "Anna" not in found and "Dace" in found
    far_future = site_today() + timedelta(days=400)
    assert names(client.get(f"/mentors/?week_of={far_future.isoformat()}")) == set()


def test_results_show_free_places_and_the_next_time(world):
    page = world["client"].get("/mentors/?language=ru").get_data(as_text=True)
    assert "room for 1 more" in page
    assert "next free time:" in page


def test_participants_cannot_search_mentors(app, make_user):
    client = english_client(app)
    log_in(client, make_user(Role.PARTICIPANT))
    assert client.get("/mentors/").status_code == 403


def test_search_costs_the_same_number_of_queries_for_2_or_12_mentors(app, make_user):
    coordinator = make_user(Role.COORDINATOR)
    for _ in range(2):
        make_mentor(app, make_user(Role.MENTOR), coordinator)
    client = english_client(app)
    log_in(client, coordinator)

    def count() -> int:
        statements = []
        listener = lambda *_args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/mentors/?language=lv&free_only=y").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    small = count()
    for _ in range(10):
        make_mentor(
            app,
            make_user(Role.MENTOR),
            coordinator,
            windows=[(1, time(9), time(10)), (4, time(9), time(10))],
        )
    assert count() == small


def test_the_week_question_is_answered_in_sql(app, make_user):
    """The availability condition is one SQL expression: no mentor is loaded to answer it."""
    condition = services.available_in_week(date(2027, 3, 1))
    sql = str(sa.select(sa.literal(1)).where(condition).compile(db.engine))
    assert "availability_window" in sql and "unavailability" in sql
