"""The indicators dashboard, its exports and who may read them, against a programme small enough
to count on paper (tests/indicators_fixture.py)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from marketplace.indicators import services
from marketplace.indicators.model import Figure
from marketplace.indicators.suppression import suppress_figures
from tests.conftest import log_in
from tests.indicators_fixture import END, START, build

PERIOD = {"date_from": START.isoformat(), "date_to": END.isoformat()}


@pytest.fixture
def programme(app, make_user, make_site):
    with app.test_request_context():
        return build(app, make_user, make_site)


def figures_of(site, *, anonymous=False, start=START, end=END) -> dict:
    result = services.report([site], start, end, anonymous=anonymous)
    return {figure.key: figure for _section, figure in result.figures()}


def values(figures: dict) -> dict:
    return {key: ("<5" if f.suppressed else f.value) for key, f in figures.items()}


def test_every_figure_matches_the_count_on_paper(app, programme):
    with app.test_request_context():
        got = values(figures_of(programme.site))
    expected = {
        "participants.enrolled": 9,
        "participants.country.UA": 6,
        "participants.country.IN": 2,
        "participants.country.SY": 1,
        "participants.age.18-21": 2,
        "participants.age.22-25": 4,
        "participants.age.26-30": 3,
        "participants.gender.female": 4,
        "participants.gender.male": 4,
        "participants.gender.not_given": 1,
        "applications.total": 8,
        "applications.approved": 3,
        "applications.submitted": 4,
        "applications.withdrawn": 1,
        "placements.total": 3,
        "placements.active": 1,
        "placements.completed": 1,
        "placements.ended_early": 1,
        "mentoring.hours_logged": 6.0,
        "mentoring.hours_confirmed": 5.0,
        "mentoring.participants": 2,
        "plans.participants": 1,
        "plans.hours": 9.0,
        "plans.goals_reached": 1,
        "training.total": 5.5,
        "training.local_language": 4.0,
        "training.culture": 1.5,
        "training.participants": 3,
        "events.held": 2,
        "events.participants_signed_up": 4,
        "events.participants_attended": 2,
        "outcomes.job_offer": 1,
        "outcomes.hired": 1,
        "outcomes.further_study": 0,
        "outcomes.within_3_months": 1,
        "outcomes.within_6_months": 2,
        "outcomes.within_12_months": 2,
        # First placements started 27 (Olena), 40 (Iryna) and 8 (Arjun) days after registering.
        "outcomes.median_days_to_first_placement": 27.0,
    }
    assert {key: got.get(key) for key in expected} == expected


def test_plans_are_set_against_what_was_planned(app, programme):
    with app.test_request_context():
        got = figures_of(programme.site)
    assert got["mentoring.hours_confirmed"].planned == 120
    assert got["training.total"].planned == 250
    assert got["training.local_language"].planned == 200
    assert got["plans.hours"].planned == 30
    assert got["plans.goals_reached"].planned == 2


def test_a_shorter_period_counts_only_what_happened_in_it(app, programme):
    with app.test_request_context():
        got = values(figures_of(programme.site, start=date(2026, 3, 1), end=date(2026, 3, 31)))
    # Oksana registered on 1 March; sessions held in March: 90 + 120 confirmed, 30 disputed.
    assert got["participants.enrolled"] == 1
    assert got["mentoring.hours_confirmed"] == 3.5
    assert got["training.culture"] == 1.5
    assert got["training.local_language"] == 0
    assert got["events.held"] == 1


def test_anonymous_figures_count_only_consent_and_hide_small_cells(app, programme):
    with app.test_request_context():
        result = services.report([programme.site], START, END, anonymous=True)
        got = values({f.key: f for _s, f in result.figures()})
    # Seven consented: Ukraine 5, India 2. India is under 5, and Ukraine would give it away
    # (7 - 5), so both are hidden.
    assert result.left_out == 2
    assert got["participants.enrolled"] == 7
    assert got["participants.country.IN"] == "<5"
    assert got["participants.country.UA"] == "<5"
    assert "participants.country.SY" not in got
    # Hours are not people: they stay.
    assert got["training.total"] == 5.5
    # A median of three people is hidden.
    assert got["outcomes.median_days_to_first_placement"] == "<5"


def test_secondary_suppression_keeps_a_hidden_cell_from_being_worked_out():
    figures = [
        Figure("total", "Total", 20),
        Figure("a", "A", 12, group="g", total="total"),
        Figure("b", "B", 6, group="g", total="total"),
        Figure("c", "C", 2, group="g", total="total"),
        Figure("d", "D", 0, group="g", total="total"),
    ]
    got = {f.key: f.value for f in suppress_figures(figures)}
    # C is small; B, the smallest other non-zero cell, goes too; zero says nobody and stays.
    assert got == {"total": 20, "a": 12, "b": None, "c": None, "d": 0}


def test_a_small_total_hides_its_whole_distribution_in_every_grouping():
    figures = [
        Figure("total", "Total", 4),
        Figure("x1", "X1", 4, group="x", total="total"),
        Figure("y1", "Y1", 0, group="y", total="total"),
        Figure("y2", "Y2", 4, group="y", total="total"),
    ]
    assert all(f.suppressed for f in suppress_figures(figures))


def test_a_lone_small_cell_with_nothing_else_to_hide_hides_the_total():
    figures = [
        Figure("total", "Total", 9),
        Figure("a", "A", 9 - 3, group="g", total="total"),
        Figure("b", "B", 3, group="g", total="total"),
    ]
    got = {f.key: f.suppressed for f in suppress_figures(figures)}
    assert got == {"total": False, "a": True, "b": True}


def test_cumulative_counts_never_differ_by_a_small_number():
    figures = [
        Figure("m3", "3 months", 6, chain="windows"),
        Figure("m6", "6 months", 8, chain="windows"),  # 2 more than at 3 months: hidden
        Figure("m12", "12 months", 12, chain="windows"),  # 6 more than the last shown: stays
    ]
    got = {f.key: f.value for f in suppress_figures(figures)}
    assert got == {"m3": 6, "m6": None, "m12": 12}


def test_the_coordinator_reads_the_dashboard_with_charts_and_links(app, programme, client):
    log_in(client, programme.coordinator)
    page = client.get("/indicators/", query_string=PERIOD)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Training hours per category against the plan" in html
    assert 'id="time-chart"' in html and "<polyline" in html
    # The coordinator sees exact counts, with the list behind a figure one click away.
    assert ">9<" in html.replace(" ", "")
    assert 'href="/participants/?status=approved"' in html


def test_a_monitoring_partner_sees_anonymous_figures_and_nothing_personal(
    app, programme, client, make_user
):
    partner = make_user(Role.PARTNER)
    log_in(client, partner)
    page = client.get("/indicators/", query_string={**PERIOD, "anonymous": ""})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "&lt;5" in html
    assert "2 participants are left out for want of that consent." in html
    # No link to lists the partner may not open, and those lists stay closed.
    assert "/participants/" not in html
    assert client.get("/participants/").status_code == 403
    assert client.get("/indicators/compare").status_code == 403
    # The partner of another site has nothing here.
    other = make_user(Role.PARTNER, site="linkoping")
    log_in(client, other)
    assert "Riga" not in client.get("/indicators/", query_string=PERIOD).get_data(as_text=True)


def test_the_csv_export_is_anonymous_and_says_so(app, programme, client):
    log_in(client, programme.coordinator)
    response = client.get("/indicators/export.csv", query_string=PERIOD)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "indicators-2026-01-01-2026-06-30.csv" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = {row[0]: row[1] for row in rows[:5]}
    assert header["Sites"] == "Riga"
    assert header["Period from"] == "2026-01-01"
    assert header["Participants left out (no consent to share with funders)"] == "2"
    by_code = {row[2]: row for row in rows if len(row) == 5}
    assert by_code["participants.enrolled"][3] == "7"
    assert by_code["participants.country.IN"][3] == "<5"
    assert by_code["training.local_language"][3:] == ["4.0", "200"]


def test_the_spreadsheet_has_numbers_dates_and_names_intact(app, programme, client):
    programme.site.name = "Rīga – Рига"
    db.session.commit()
    log_in(client, programme.coordinator)
    response = client.get(
        "/indicators/export.xlsx", query_string=PERIOD, headers={"Accept-Language": "uk"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Rīga – Рига"
    assert rows[1][1] == datetime(2026, 1, 1)  # a date cell, not text
    by_code = {row[2]: row for row in rows if row[2]}
    assert by_code["training.total"][3] == 5.5
    assert by_code["training.total"][4] == 250
    assert by_code["participants.enrolled"][3] == 7
    assert by_code["participants.country.UA"][3] == "<5"


def test_the_super_admin_compares_sites_side_by_side(app, programme, client, make_user):
    admin = make_user(Role.SUPER_ADMIN)
    log_in(client, admin)
    page = client.get("/indicators/compare", query_string=PERIOD)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Riga" in html and "Linköping" in html
    assert html.index("Riga") != html.index("Linköping")


def test_other_people_cannot_read_indicators(app, programme, client, make_user):
    for role in (Role.PARTICIPANT, Role.EMPLOYER_STAFF, Role.MENTOR):
        log_in(client, make_user(role))
        assert client.get("/indicators/").status_code == 403
        assert client.get("/indicators/export.csv").status_code == 403


def test_a_period_ending_before_it_starts_is_refused_next_to_the_field(app, programme, client):
    log_in(client, programme.coordinator)
    page = client.get(
        "/indicators/", query_string={"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )
    assert page.status_code == 200
    assert "The end date cannot be before the start date." in page.get_data(as_text=True)
