"""The public search at /postings: text, filters, sorting, paging, bad input and its cost."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.languages import CefrLevel
from marketplace.organisations import services as organisation_services
from marketplace.postings import services
from marketplace.postings.models import Posting
from marketplace.sites.models import Site
from tests.clock import site_today
from tests.conftest import POSTGRES_URL, english_client
from tests.employer_helpers import employer_world, make_organisation, make_posting

pytestmark = pytest.mark.clock


@pytest.fixture
def world(app, make_user):
    riga_owner = make_user(Role.EMPLOYER_STAFF, site="riga")
    riga_coordinator = make_user(Role.COORDINATOR, site="riga")
    riga_hotel = make_organisation(app, riga_owner, riga_coordinator, name="Baltic Pearl Hotel")
    lkp_owner = make_user(Role.EMPLOYER_STAFF, site="linkoping")
    lkp_hotel = make_organisation(
        app,
        lkp_owner,
        make_user(Role.COORDINATOR, site="linkoping"),
        name="Hotell Stångån",
        city="Linköping",
    )
    lkp_coordinator = make_user(Role.COORDINATOR, site="linkoping")
    soon = site_today() + timedelta(days=10)
    postings = {
        "reception": make_posting(
            app,
            riga_hotel,
            riga_owner,
            riga_coordinator,
            title="Darbs viesnīcas recepcijā",
            hours_per_week=10,
            description="Recepcijā.",
        ),
        "cook": make_posting(
            app,
            riga_hotel,
            riga_owner,
            riga_coordinator,
            kind="job",
            title="Повар в ресторан",
            content_locale="ru",
            hours_per_week=40,
            description="Кухня.",
            languages=[("ru", CefrLevel.B1)],
            application_deadline=soon,
        ),
        "kitchen": make_posting(
            app,
            lkp_hotel,
            lkp_owner,
            lkp_coordinator,
            kind="internship",
            title="Praktik i köket",
            content_locale="sv",
            hours_per_week=30,
            description="Köket.",
            languages=[("sv", CefrLevel.A2)],
            start_date=site_today() + timedelta(days=90),
        ),
        "draft": make_posting(
            app,
            riga_hotel,
            riga_owner,
            status="draft",
            title="Slepens melnraksts",
            description="Melnraksts.",
        ),
    }
    return postings


def titles(response) -> list[str]:
    """Titles of the listed postings, in the order the page shows them."""
    page = response.get_data(as_text=True)
    return re.findall(r'<h2 class="h5 mb-1"><a href="/postings/\d+" lang="\w+">([^<]+)</a>', page)


def test_search_ignores_case_and_diacritics(client, world):
    assert titles(client.get("/postings/?q=viesnica")) == ["Darbs viesnīcas recepcijā"]
    assert titles(client.get("/postings/?q=ПОВАР")) == ["Повар в ресторан"]
    assert titles(client.get("/postings/?q=повар")) == ["Повар в ресторан"]
    assert titles(client.get("/postings/?q=stangan")) == ["Praktik i köket"]  # organisation name


def test_drafts_are_never_listed(client, world):
    assert "Slepens melnraksts" not in titles(client.get("/postings/"))
    assert "Slepens melnraksts" not in titles(client.get("/postings/?q=slepens"))


def test_filters(client, world):
    assert titles(client.get("/postings/?kind=internship")) == ["Praktik i köket"]
    riga = db.session.scalar(sa.select(Site).where(Site.slug == "riga"))
    assert set(titles(client.get(f"/postings/?site={riga.id}"))) == {
        "Darbs viesnīcas recepcijā",
        "Повар в ресторан",
    }
    assert titles(client.get("/postings/?language=ru")) == ["Повар в ресторан"]
    assert titles(client.get("/postings/?content_language=sv")) == ["Praktik i köket"]
    assert titles(client.get("/postings/?city=Linköping")) == ["Praktik i köket"]
    later = (site_today() + timedelta(days=60)).isoformat()
    assert titles(client.get(f"/postings/?start_from={later}")) == ["Praktik i köket"]
    assert "Praktik i köket" not in titles(client.get(f"/postings/?start_to={later}"))
    assert titles(client.get("/postings/?hours_min=35")) == ["Повар в ресторан"]
    assert titles(client.get("/postings/?hours_max=15")) == ["Darbs viesnīcas recepcijā"]


def test_sorting_by_deadline_puts_the_soonest_first(client, world):
    assert titles(client.get("/postings/?sort=deadline"))[0] == "Повар в ресторан"


def test_open_for_applications_uses_the_deadline_at_the_posting_site(app, client, world):
    cook = world["cook"]
    cook.application_deadline = site_today() - timedelta(days=1)
    db.session.commit()
    assert "Повар в ресторан" not in titles(client.get("/postings/?open_only=y"))
    assert "Повар в ресторан" in titles(client.get("/postings/"))  # still published until closed

    riga = cook.site
    # 22:30 UTC on 1 March is already 2 March in Riga: a deadline of 1 March has passed there.
    late_evening = datetime(2027, 3, 1, 22, 30, tzinfo=UTC)
    cook.application_deadline = date(2027, 3, 1)
    db.session.commit()
    assert not services.is_open(cook, now=late_evening)
    query = sa.select(Posting.id).where(services.open_for_applications([riga], late_evening))
    assert cook.id not in db.session.scalars(query).all()


def test_any_search_input_gives_results_or_an_empty_list(client, world):
    for text in ['"', "%", "_", "'; DROP TABLE posting; --", "x" * 200, "🙂", "\\", "a%b_c"]:
        response = client.get("/postings/", query_string={"q": text})
        assert response.status_code == 200
    assert "Nothing matches" in client.get("/postings/?q=%25").get_data(as_text=True)
    too_long = client.get("/postings/", query_string={"q": "x" * 500})
    assert too_long.status_code == 200
    bad_date = client.get("/postings/?start_from=yesterday&hours_min=lots&kind=spaceship")
    assert bad_date.status_code == 200


def test_empty_state_helps(client):
    page = client.get("/postings/?q=nothing-like-this").get_data(as_text=True)
    assert "Try fewer words or fewer filters" in page


def count_queries(client, path: str) -> int:
    statements = []

    def remember(*_args):
        statements.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return len(statements)


def test_the_list_costs_the_same_number_of_queries_for_3_or_20_postings(app, make_user):
    organisation, owner, coordinator = employer_world(app, make_user)
    for number in range(3):
        make_posting(app, organisation, owner, coordinator, title=f"Posting {number}")
    small = count_queries(english_client(app), "/postings/?sort=deadline")
    for number in range(3, 20):
        make_posting(
            app,
            organisation,
            owner,
            coordinator,
            title=f"Posting {number}",
            languages=[("lv", CefrLevel.A2), ("en", CefrLevel.B1)],
        )
    large = count_queries(english_client(app), "/postings/?sort=deadline")
    assert small == large


@pytest.mark.parametrize(
    ("where", "index"),
    [
        (Posting.kind == "job", "ix_posting_kind_status"),
        (Posting.site_id == 1, "ix_posting_site_status"),
        (Posting.start_date >= date(2027, 1, 1), "ix_posting_start_date"),
    ],
)
def test_filters_can_use_an_index(app, where, index):
    query = sa.select(Posting.id).where(where)
    compiled = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as connection:
        if POSTGRES_URL:
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.exec_driver_sql(f"EXPLAIN {compiled}").scalars().all()
        else:
            plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
    assert any(index in line for line in plan), plan


def test_renamed_organisation_is_found_by_its_new_name(app, client, world):
    hotel = world["reception"].organisation
    owner = hotel.members[0].user
    with app.test_request_context():
        organisation_services.update_details(owner, hotel, {"name": "Viesnīca Ziemeļblāzma"})
    found = titles(client.get("/postings/?q=ziemelblazma"))
    assert set(found) == {"Darbs viesnīcas recepcijā", "Повар в ресторан"}
