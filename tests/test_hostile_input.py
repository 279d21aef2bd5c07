"""Hostile input posted to every form the site shows: never an error page, nothing half-saved,
no stored script that runs when it is shown again.

The forms are not listed here. Each kind of person (participant, employer, mentor, coordinator,
super-admin, visitor) opens their dashboard and follows the links of the site; every
``<form method="post">`` on the pages they reach is collected with its fields. A form added later
is therefore fuzzed without changing this module.

The world is built once through the services; before each example every table is put back as
it was (see ``Snapshot``). Each form gets a few examples in CI; a deeper run takes some minutes:

    HYPOTHESIS_MAX_EXAMPLES=200 .venv/bin/pytest -q tests/test_hostile_input.py

The examples are derived from the test itself (``derandomize``), so a failure repeats.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from html import unescape
from urllib.parse import urljoin, urlsplit

import sqlalchemy as sa
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound

from marketplace.accounts.roles import Role
from marketplace.admin import services as admin
from marketplace.applications import services as applications
from marketplace.calendars import services as calendars
from marketplace.conversations import services as conversations
from marketplace.events import services as events
from marketplace.extensions import db, limiter
from marketplace.mentors import services as mentors
from marketplace.organisations import services as organisations
from marketplace.organisations.models import OrganisationStatus
from marketplace.participants import services as participants
from marketplace.placements import services as placements
from marketplace.plans import services as plans
from marketplace.plans.models import Measure
from marketplace.postings.models import PostingStatus
from marketplace.training import services as training
from tests.application_helpers import (
    accepted_application,
    approved_participant,
    make_world,
    posting_for,
)
from tests.clock import site_today
from tests.conftest import TEST_PASSWORD, english_client, log_in
from tests.employer_helpers import make_organisation, make_posting
from tests.mentor_helpers import make_mentor
from tests.participant_helpers import PDF, make_participant, make_questionnaire

# Eight generated examples and one fixed one for each of the ~80 forms keep the module under a
# minute on SQLite.
settings.register_profile(
    "hostile-forms-ci",
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "8")),
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    # Long strings in forms of twenty fields make large, slowly generated examples on purpose.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
EXAMPLES_PER_FORM = settings.get_profile("hostile-forms-ci")

HOST = "localhost"  # the test client's host; links in e-mails name localhost:5000
BASE_URL = f"http://{HOST}/"
# Over 70 today: a few forms fewer still pass, a crawl that stops early does not.
MIN_DISTINCT_FORM_ENDPOINTS = 50
PAGES_PER_PERSON = 90
VARIANTS_PER_PATH = 2  # the same page with other query strings (page=2, ?week=…)
LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"')
NOT_CRAWLED = re.compile(
    r"^/(static|dev)/|logout|\.ics$|^/calendar/feed/|/confirm/|^/password/reset/"
)

# What a stored script or attribute injection would leave in a page if it were not escaped.
SCRIPT_MARKER = '<script>alert("xss-'
EVENT_HANDLER_ATTRIBUTE = re.compile(r"on[a-z]+")

# A refused request must leave every table as it was, except where writing on refusal is the
# feature itself:
# - a failed login is recorded in the audit log (README: logins "including failed ones");
# - questionnaire answers are kept as progress when sending is refused for a missing answer
#   (README: "saving progress as they go");
# - a page or step refused with 403 is recorded in the audit log as "access.refused".
# Page views inside the request (last-seen times, notifications marked read, threads marked
# read) only update rows that the crawl made already, so they need no exception.
WRITES_ON_REFUSAL = {
    "auth.login": {"audit_entry"},
    "participants.questionnaire": {"questionnaire_response", "answer"},
}


# The world ---------------------------------------------------------------------------------------


@dataclass
class Person:
    label: str
    token: str | None  # the server-side session token, None for a visitor
    start: str


def build_world(app, make_user, make_site) -> list[Person]:
    """Enough of everything that each person's pages show every kind of form they can use."""
    make_site("linkoping")
    world = make_world(app, make_user)
    olena = participant_with_placement(app, make_user, world)
    waiting_for_others(app, make_user, world)
    things_to_review(app, make_user, world)
    activities(app, world, olena)
    # Last: with a questionnaire, the participants above could not have sent their profiles.
    make_questionnaire(world.coordinator.site_id)
    newcomer = make_user(Role.PARTICIPANT, display_name="Dilshod")
    make_participant(app, newcomer)
    super_admin = make_user(Role.SUPER_ADMIN, display_name="Marta", email=KNOWN_EMAIL)
    people = [
        ("participant", olena.user),
        ("new participant", newcomer),
        ("employer", world.owner),
        ("mentor", world.mentor.user),
        ("coordinator", world.coordinator),
        ("super-admin", super_admin),
    ]
    return [Person(label, session_token(app, user), "/dashboard") for label, user in people] + [
        Person("visitor", None, "/")
    ]


def participant_with_placement(app, make_user, world):
    """Olena: an active placement with a logged session and a message, one application
    waiting, one offer to answer, an open internship to apply to, a calendar link, a second
    device and an individual plan."""
    today = site_today()
    olena = approved_participant(app, make_user, world.coordinator, display_name="Olena")
    placement_posting = posting_for(
        app, world, start_date=today - timedelta(days=14), end_date=today + timedelta(days=60)
    )
    application = accepted_application(app, world, placement_posting, olena)
    waiting = posting_for(app, world, kind="job", title="Pavārs")
    offered = posting_for(app, world, kind="job", title="Viesmīlis")
    posting_for(app, world, kind="internship", title="Prakse virtuvē")
    with app.test_request_context():
        participants.give_consent(olena.user, participants.FUNDER_CONSENT)
        placement = applications.approve(world.coordinator, application)
        placements.log_session(
            world.mentor.user, placement, today - timedelta(days=2), 60, "First meeting", ""
        )
        conversations.post(olena.user, conversations.Thread("placement", placement), "Hello")
        applications.apply(olena.user, olena, waiting, "I like cooking.")
        offer = applications.apply(olena.user, olena, offered, "I like people.")
        applications.shortlist(world.owner, offer)
        applications.offer(world.owner, offer, None)
        calendars.new_feed_token(olena.user)
        # An agreed individual plan with goals to mark reached, and a change to agree to.
        goals = [("Order in Latvian", today + timedelta(days=30))] * 2
        plans.propose(world.coordinator, olena, {Measure.LOCAL_LANGUAGE: 20}, goals)
        plans.agree(olena.user, olena, 1)
        plans.propose(world.mentor.user, olena, {Measure.CULTURE: 5}, goals)
    log_in(english_client(app), olena.user, user_agent="Olena's phone")
    return olena


def waiting_for_others(app, make_user, world) -> None:
    """Boris: an offer the mentor has to answer, an accepted one the coordinator approves, and
    one on the shortlist, waiting for an offer naming a mentor."""
    boris = approved_participant(app, make_user, world.coordinator, display_name="Boris")
    mentoring = posting_for(app, world, title="Recepcija")
    shortlisted = posting_for(app, world, title="Virtuve")
    with app.test_request_context():
        application = applications.apply(boris.user, boris, mentoring, "Reception work.")
        applications.shortlist(world.owner, application)
        applications.offer(world.owner, application, world.mentor)
        application = applications.apply(boris.user, boris, shortlisted, "Kitchen work.")
        applications.shortlist(world.owner, application)
    accepted_application(app, world, posting_for(app, world, kind="job", title="Bārmenis"), boris)


def things_to_review(app, make_user, world) -> None:
    """A profile, an organisation, postings and a mentor waiting for a decision (the mentor also
    for the owner's confirmation); a colleague waiting for the owner; an account that was
    deactivated."""
    make_participant(app, make_user(Role.PARTICIPANT, display_name="Carl"), submit=True)
    make_organisation(
        app, make_user(Role.EMPLOYER_STAFF), status=OrganisationStatus.PENDING, name="Kafejnīca"
    )
    for status in (PostingStatus.SUBMITTED, PostingStatus.DRAFT):
        make_posting(app, world.organisation, world.owner, world.coordinator, status=status)
    dace = make_user(Role.EMPLOYER_STAFF, display_name="Dace")
    new_mentor = make_mentor(app, dace, organisation=world.organisation, approve=False)
    colleague = make_user(Role.EMPLOYER_STAFF, display_name="Edgars")
    gone = make_user(Role.PARTICIPANT, display_name="Fricis")
    with app.test_request_context():
        mentors.submit(new_mentor.user, new_mentor)
        organisations.ask_to_join(colleague, world.organisation)
        admin.deactivate(world.coordinator, gone)


def activities(app, world, olena) -> None:
    """An event and a training session Olena takes part in; a mentor's days away."""
    today, site = site_today(), world.coordinator.site
    starts = datetime.now(UTC) + timedelta(days=7)
    event = {
        "kind": "seminar",
        "title": "Darbs Latvijā",
        "description": "",
        "venue": "Rīga",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "capacity": 5,
    }
    lesson = {
        "category": "local_language",
        "title": "Latviešu A1",
        "held_on": today,
        "starts_at": time(10),
        "minutes": 90,
        "trainer": "Inese",
        "capacity": 5,
    }
    away = (today + timedelta(days=30), today + timedelta(days=35), "Holiday")
    with app.test_request_context():
        events.sign_up(olena.user, events.create(world.coordinator, site.id, event))
        training.enrol(world.coordinator, training.create(world.coordinator, site, lesson), olena)
        mentors.add_unavailability(world.mentor.user, world.mentor, *away)


def session_token(app, user) -> str:
    client = english_client(app)
    log_in(client, user)
    with client.session_transaction() as session:
        return session["_user_id"]


def client_as(app, person: Person):
    client = english_client(app)
    if person.token is not None:
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = person.token, True
    return client


# Finding the forms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # an input type, "select", "select-multiple", "textarea" or "button"
    value: str = ""
    options: tuple[str, ...] = ()
    chosen: tuple[str, ...] = ()  # the options selected or checked on the page
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class Form:
    person: str
    action: str  # path and query
    endpoint: str
    page: str  # where the form was found
    fields: tuple[Field, ...]

    @property
    def label(self) -> str:
        return f"{self.person} POST {self.action} (from {self.page})"


def local_path(url: str, base: str) -> str | None:
    """The path and query of a same-origin link, or None for another site."""
    parts = urlsplit(urljoin(base, url))
    if parts.scheme not in {"http", "https"} or parts.hostname != HOST:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(app, person: Person) -> dict[str, str]:
    """The HTML of the pages a person reaches by following links, breadth first."""
    client = client_as(app, person)
    queue, seen, pages = [person.start], {person.start}, {}
    variants: dict[str, int] = defaultdict(int)
    while queue and len(pages) < PAGES_PER_PERSON:
        response = client.get(queue.pop(0), follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        path = final_path(response)
        html = response.get_data(as_text=True)
        pages[path] = html
        for href in LINK.findall(html):
            target = local_path(unescape(href).split("#")[0], BASE_URL + path.lstrip("/"))
            if target is None or target in seen or NOT_CRAWLED.search(target.split("?")[0]):
                continue
            bare = target.split("?")[0]
            if variants[bare] >= VARIANTS_PER_PATH:
                continue
            variants[bare] += 1
            seen.add(target)
            queue.append(target)
    return pages


def final_path(response) -> str:
    query = response.request.query_string.decode()
    return response.request.path + (f"?{query}" if query else "")


def fields_of(form_tag) -> tuple[Field, ...]:
    groups: dict[str, list] = defaultdict(list)
    for element in form_tag.find_all(["input", "select", "textarea", "button"]):
        if element.get("name"):
            groups[element["name"]].append(element)
    return tuple(describe_field(name, elements) for name, elements in groups.items())


def describe_field(name: str, elements: list) -> Field:
    first = elements[0]
    if first.name == "select":
        options = tuple(option.get("value", option.text) for option in first.find_all("option"))
        chosen = tuple(
            o.get("value", o.text) for o in first.find_all("option") if o.has_attr("selected")
        )
        if first.has_attr("multiple"):
            return Field(name, "select-multiple", options=options, chosen=chosen)
        # With nothing selected a browser sends the first option (often "none").
        return Field(name, "select", options=options, chosen=chosen or options[:1])
    if first.name == "textarea":
        # A browser drops the newline that starts a textarea's content.
        content = re.sub(r"^\r?\n", "", first.text)
        return Field(name, "textarea", content, max_length=number_attribute(first, "maxlength"))
    kind = "button" if first.name == "button" else first.get("type", "text").lower()
    if kind in {"checkbox", "radio", "button", "submit"}:
        default = "" if kind in {"button", "submit"} else "on"
        options = tuple(element.get("value", default) for element in elements)
        chosen = tuple(e.get("value", default) for e in elements if e.has_attr("checked"))
        return Field(name, kind, options=options, chosen=chosen)
    return Field(
        name,
        kind,
        first.get("value", ""),
        minimum=number_attribute(first, "min"),
        maximum=number_attribute(first, "max"),
        max_length=number_attribute(first, "maxlength"),
    )


def number_attribute(element, name: str) -> int | None:
    try:
        return int(element.get(name))
    except (TypeError, ValueError):
        return None


def endpoint_of(app, action: str) -> str | None:
    adapter = app.url_map.bind(HOST)
    try:
        endpoint, _arguments = adapter.match(action.split("?")[0], method="POST")
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint


def forms_on(app, person: Person, page: str, html: str) -> list[Form]:
    found = []
    if 'method="post"' not in html.lower():
        return found
    for form_tag in BeautifulSoup(html, "html.parser").find_all("form"):
        if form_tag.get("method", "get").lower() != "post":
            continue
        fields = fields_of(form_tag)
        actions = {form_tag.get("action") or page}
        # A second button may post the same fields elsewhere (e.g. "Reject" next to "Request
        # changes").
        actions |= {b["formaction"] for b in form_tag.find_all(formaction=True)}
        for action in actions:
            path = local_path(action, BASE_URL + page.lstrip("/"))
            endpoint = path and endpoint_of(app, path)
            if endpoint:
                found.append(Form(person.label, path, endpoint, page, fields))
    return found


def discover_forms(app, people: list[Person]) -> list[Form]:
    """Every form the people reach, once per endpoint and set of fields: the same form for
    another posting, or posted by the next person, costs time and rarely finds more. The first
    person to reach a form (the order of ``people``) is the one who posts it."""
    chosen: dict[tuple, Form] = {}
    for person in people:
        for page, html in crawl(app, person).items():
            for form in forms_on(app, person, page, html):
                fields = tuple(sorted((f.name, f.kind) for f in form.fields))
                chosen.setdefault((form.endpoint, fields), form)
    return list(chosen.values())


# Hostile values ----------------------------------------------------------------------------------

MARKUP = [
    '<script>alert("xss-1")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    '</textarea><script>alert("xss-2")</script>',
    "javascript:alert(3)",
    "{{ 7 * 7 }} {% raw %} %(name)s %s {0}",
]
SQL = ["'; DROP TABLE user_account;--", "' OR '1'='1", "100%_\\", "1); DELETE FROM site; --"]
UNICODE = [
    "\u202eevil\u202c",
    "👩🏽\u200d🍳🏨",
    "e\u0301" * 40,
    "Z\u0324\u0354\u0367\u0311a\u0308\u0356",
    "\u200b\ufeff",
    "İstanbul ß ﬁ 𝕏",
    "שלום עליכם",
    "Ā" * 3,
]
CONTROL = ["\x00", "a\x00b", "\x01\x02\x1b[31m", "\r\n\r\n", "\t \t", "\x7f", "\uffff"]
NUMBERS = [
    "-1",
    "0",
    "1e308",
    "-1e308",
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    str(2**31),
    "NaN",
    "inf",
    "1.5",
    "0x10",
    " 7 ",
    "١٢",
    "²",
    "+3",
    "1_000",
]
DATES = [
    "9999-99-99",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2024-02-30",
    "2024-13-01",
    "1900-01-01",
    "-2024-01-01",
    "2024-1-1",
    "31.12.2024",
    "tomorrow",
]
TIMES = ["25:00", "23:59", "00:00", "-1:00", "12:60", "9", "noon", "23:59:60"]
FIXED_HOSTILE = MARKUP + SQL + UNICODE + CONTROL + NUMBERS + DATES + TIMES + ["", " "]

SHORT_TEXT = [
    '<script>alert("xss-1")</script>',
    "Ünïcödé ✓ שלום 👩🏽\u200d🍳",
    'O\'Brien "quoted" & <b>bold</b>',
    "plain-words",
]
TWO_LINES = ['<script>alert("xss-5")</script>\nÜnïcödé ✓ שלום']
# A date or time that ends something comes after the one that starts it.
ENDING = re.compile(r"end|until")
PLAUSIBLE_DATES = [site_today() + timedelta(days=d) for d in (0, 30, -2, 60)]
PLAUSIBLE_TIMES = ["10:00", "09:30", "14:00", "16:00"]
KNOWN_EMAIL = "marta@example.org"  # the super-admin's: the visitor can log in
PLAUSIBLE_EMAILS = [KNOWN_EMAIL, "new.person+tag@example.org"]
PDF_NAMES = ['<script>alert("xss-4")</script>.pdf', "CV Olena.pdf", "ļoti garš vārds " * 20]


# One character more than the usual column and field limits, and far more.
JUST_TOO_LONG = [41, 81, 121, 161, 201, 255, 301, 501, 1001, 2001, 3001, 5001, 10_001]
LONG_LINE = 201  # one more than the most common text column


def long_strings() -> st.SearchStrategy[str]:
    units = st.sampled_from(["x", "€", "<b>", "\u202e", "🏨", "\x00", "'", "e\u0301"])
    sizes = st.sampled_from(JUST_TOO_LONG) | st.integers(10_001, 20_000)
    return st.builds(lambda unit, size: (unit * size)[:size], units, sizes)


def hostile_value(spec: Field) -> st.SearchStrategy:
    if spec.kind == "file":
        return st.tuples(
            st.one_of(st.binary(max_size=200), st.just(PDF + b"<script>"), st.just(b"")),
            st.one_of(st.sampled_from(FIXED_HOSTILE), long_strings()),
        )
    anything = st.one_of(
        st.sampled_from(FIXED_HOSTILE),
        st.text(max_size=30),
        long_strings(),
        st.builds(lambda good, bad: good + bad, plausible_value(spec), st.sampled_from(CONTROL)),
    )
    if spec.options:  # half of the time almost one of the options
        return st.sampled_from(near_misses(spec.options)) | anything
    return anything


def near_misses(options: tuple[str, ...]) -> list[str]:
    """Almost one of the options: blank, padded, in capitals, another number, a digit that is
    not 0-9."""
    first = next((o for o in options if o), "")
    return [" ", "²", f" {first} ", "", "-1", first.upper(), "\t", "١", f"{first}0", "0"]


CHOICE_KINDS = {"select", "radio", "checkbox", "select-multiple"}
TEXT_KINDS = {"text", "textarea", "search", "tel", "url"}


def candidates(spec: Field) -> list:
    """What a person could really send: the page's own value first, then likely answers."""
    kind, own = spec.kind, [spec.value] if spec.value else []
    in_order = reversed if ENDING.search(spec.name) else list
    if kind in CHOICE_KINDS:
        offered = [o for o in spec.options if o] or list(spec.options) or [""]
        return list(dict.fromkeys([*spec.chosen, *offered]))
    if kind in {"button", "submit"}:
        return list(spec.options)
    if kind == "hidden":
        return [spec.value]
    if kind == "file":
        return [(PDF, name) for name in PDF_NAMES]
    if kind == "number":
        return list(dict.fromkeys([*own, str(number_range(spec)[0])]))
    if kind == "date":
        return own + [day.isoformat() for day in in_order(PLAUSIBLE_DATES)]
    if kind == "time":
        return own + list(in_order(PLAUSIBLE_TIMES))
    if kind == "email":
        return own + PLAUSIBLE_EMAILS
    if kind == "password":  # the people's password, so that "current password" is right
        return [TEST_PASSWORD]
    lines = TWO_LINES if kind == "textarea" else []  # e.g. one answer per line
    return list(dict.fromkeys(own + [t[: spec.max_length or None] for t in [*lines, *SHORT_TEXT]]))


def number_range(spec: Field) -> tuple[int, int]:
    low = spec.minimum if spec.minimum is not None else 1
    return low, spec.maximum if spec.maximum is not None else max(low, 60)


def plausible_value(spec: Field) -> st.SearchStrategy:
    likely = st.sampled_from(candidates(spec))
    if spec.kind == "number":
        return likely | st.integers(*number_range(spec)).map(str)
    return likely


def plausible_values(spec: Field) -> st.SearchStrategy[list]:
    """The values sent for a field: for checkboxes, first those checked on the page, then all
    (a consent must be given), then any."""
    if spec.kind in {"checkbox", "select-multiple"}:
        others = st.lists(plausible_value(spec), max_size=len(spec.options), unique=True)
        return st.sampled_from([list(spec.chosen), list(spec.options)]) | others
    return plausible_value(spec).map(lambda value: [value])


def as_shown(spec: Field) -> list:
    """What a browser sends for the field as the page shows it (text fields carry markup)."""
    if spec.kind in {"checkbox", "select-multiple"}:
        return list(spec.chosen)
    return candidates(spec)[:1]


def any_values(spec: Field) -> st.SearchStrategy[list]:
    """Sent once, left out, or sent twice, plausible or hostile."""
    either = st.one_of(plausible_value(spec), hostile_value(spec))
    return st.one_of(
        plausible_values(spec),
        hostile_value(spec).map(lambda value: [value]),
        st.just([]),
        st.lists(either, min_size=2, max_size=2),
    )


def submissions(form: Form) -> st.SearchStrategy[dict[str, list]]:
    """What a person could send (text fields carrying markup and unicode, so that it is saved
    and shown again); the same with one field hostile, which finds what a single validator
    lets through; the same with long lines in every text field; or anything in any field."""
    plausible = st.fixed_dictionaries({f.name: plausible_values(f) for f in form.fields})
    hostile = st.fixed_dictionaries({f.name: any_values(f) for f in form.fields})
    long_lines = st.tuples(plausible, st.sampled_from(JUST_TOO_LONG[:-1])).map(
        lambda drawn: with_long_lines(form, *drawn)
    )
    return st.one_of(plausible, one_field_hostile(plausible, form), long_lines, hostile)


@st.composite
def one_field_hostile(draw, plausible, form: Form) -> dict[str, list]:
    values = draw(plausible)
    if form.fields:
        target = draw(st.sampled_from(form.fields))
        values[target.name] = draw(hostile_value(target).map(lambda value: [value]))
    return values


def with_long_lines(form: Form, values: dict[str, list], size: int) -> dict[str, list]:
    """Two lines just over a usual limit in every text field alike: where lines are counted
    across fields (one answer per line, in each language) they are then accepted together."""
    text = f"{'ā' * size}\n{'b' * size}"
    return {**values, **{f.name: [text] for f in form.fields if f.kind in TEXT_KINDS}}


def request_body(submission: dict[str, list]) -> MultiDict:
    body = MultiDict()
    for name, values in submission.items():
        for value in values:
            if isinstance(value, tuple):  # a file: content and file name
                content, filename = value
                body.add(name, (io.BytesIO(content), filename))
            else:
                body.add(name, value)
    return body


# Checking what happened --------------------------------------------------------------------------


def quoted(name: str) -> str:
    return db.engine.dialect.identifier_preparer.quote(name)


class Snapshot:
    """Every row of every table, to put the world back before each example.

    Rebuilding the world through the services costs seconds; deleting and inserting its few
    hundred rows costs milliseconds and works the same on SQLite and PostgreSQL. Each example
    thus starts from the same state (so a failure can be shrunk and repeated) and cannot be
    affected by what an earlier example saved.
    """

    def __init__(self):
        self.tables = [t for t in db.metadata.sorted_tables if t.name != "alembic_version"]
        self.rows = {
            t.name: [dict(r._mapping) for r in db.session.execute(t.select())] for t in self.tables
        }
        self.counts = {name: len(rows) for name, rows in self.rows.items()}
        counts = (
            f"(SELECT count(*) FROM {quoted(t.name)}) AS {quoted(t.name)}" for t in self.tables
        )
        self.counting = sa.text("SELECT " + ", ".join(counts))
        self.referring = tables_referring_to(self.tables)
        # Until the statements are watched (``watch``), any table may have changed.
        self.changed = {t.name for t in self.tables}

    def watch(self, _connection, _cursor, statement, *_args) -> None:
        """Note the tables a statement may change; one not understood may change any."""
        if READ_ONLY.match(statement):
            return
        match = WRITE.match(statement)
        self.changed |= {match.group(1)} if match else {t.name for t in self.tables}

    def restore(self) -> None:
        """Put back the tables changed since the last restore, and every table referring to one
        of them (a deleted row takes rows referring to it along): the others hold the rows of
        the snapshot still, as no statement wrote to them."""
        db.session.rollback()
        changed = set()
        for name in self.changed:
            changed |= self.referring[name]
        for table in reversed(self.tables):
            if table.name in changed:
                db.session.execute(table.delete())
        for table in self.tables:
            if table.name in changed and self.rows[table.name]:
                db.session.execute(table.insert(), self.rows[table.name])
        db.session.commit()
        db.session.expire_all()
        self.changed = set()

    def tables_with_other_counts(self) -> set[str]:
        now = db.session.execute(self.counting).one()._mapping
        return {name for name, count in self.counts.items() if now[name] != count}


# Statements that change no table, and those that change the one they name.
READ_ONLY = re.compile(
    r"^\s*(?:SELECT|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SHOW)\b", re.IGNORECASE
)
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


def tables_referring_to(tables) -> dict[str, set[str]]:
    """For each table, itself and every table referring to it, directly or through others."""
    referred_by: dict[str, set[str]] = defaultdict(set)
    for table in tables:
        for key in table.foreign_keys:
            referred_by[key.column.table.name].add(table.name)
    closure = {}
    for table in tables:
        found, todo = set(), [table.name]
        while todo:
            name = todo.pop()
            if name not in found:
                found.add(name)
                todo.extend(referred_by[name])
        closure[table.name] = found
    return closure


class PostgresLimits:
    """Stored values SQLite keeps but PostgreSQL refuses (an error page there): text longer than
    its column, integers beyond 32 bits. On PostgreSQL the database refuses them itself, so the
    request fails and the status check sees it; there this check has nothing to do.

    One query, written out once: building it with SQLAlchemy for every example would cost more
    than the request under test."""

    def __init__(self, tables):
        self.checks: list[tuple[str, str, str]] = []  # table, condition, what it means
        if db.engine.dialect.name == "sqlite":
            for table in tables:
                for column in table.columns:
                    self.checks += self.column_checks(table.name, column)
        exists = (f"EXISTS (SELECT 1 FROM {quoted(t)} WHERE {c})" for t, c, _ in self.checks)
        self.query = sa.text("SELECT " + ", ".join(exists))

    @staticmethod
    def column_checks(table: str, column) -> list[tuple[str, str, str]]:
        name, where = quoted(column.name), f"{table}.{column.name}"
        if isinstance(column.type, sa.String) and column.type.length:
            limit = column.type.length
            return [(table, f"length({name}) > {limit}", f"{where}: more than {limit} characters")]
        if isinstance(column.type, sa.Integer) and not isinstance(column.type, sa.BigInteger):
            condition = f"{name} > {2**31 - 1} OR {name} < {-(2**31)}"
            return [(table, condition, f"{where}: a number beyond 32 bits")]
        return []

    def violations(self) -> list[str]:
        if not self.checks:
            return []
        found = db.session.execute(self.query).one()
        return [
            what for (_table, _condition, what), bad in zip(self.checks, found, strict=True) if bad
        ]


def holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(holds_nul(v) for v in value)
    return False


class NulWatch:
    """PostgreSQL refuses a NUL character in any text parameter, whether stored or only searched
    for; SQLite takes it. So every statement the application sends is looked at."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, _connection, _cursor, statement, parameters, _context, _executemany):
        if holds_nul(parameters):
            self.statements.append(statement)


# Only a page containing such text can hold an injected handler or link; the others need no
# (slow) parsing.
MAYBE_INJECTED = re.compile(r"(?<![\w-])on[a-z]+\s*=|javascript:", re.IGNORECASE)


def injected_markup(html: str) -> list[str]:
    problems = []
    if SCRIPT_MARKER in html:
        problems.append("an unescaped <script> from the input")
    if not MAYBE_INJECTED.search(html):
        return problems
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for attribute, value in tag.attrs.items():
            if EVENT_HANDLER_ATTRIBUTE.fullmatch(attribute):
                problems.append(f"{attribute}= on <{tag.name}>")
            if attribute in {"href", "src", "action", "formaction"} and str(value).strip(
                " \t\r\n\x00"
            ).lower().startswith("javascript:"):
                problems.append(f"a javascript: {attribute} on <{tag.name}>")
    return problems


def leaves_the_site(location: str) -> bool:
    """Where a browser would go: it drops tabs and newlines and reads a backslash as a slash."""
    cleaned = re.sub(r"[\t\r\n]", "", location).replace("\\", "/")
    parts = urlsplit(urljoin(BASE_URL, cleaned))
    return parts.scheme not in {"http", "https"} or parts.hostname != HOST


def was_refused(response) -> bool:
    """The request was turned down: an error status, or the form shown again with errors."""
    if response.status_code >= 400:
        return True
    if response.status_code == 200 and response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        return 'aria-invalid="true"' in html or "invalid-feedback" in html
    return False


class ErrorLog(logging.Handler):
    """The tracebacks the application logs for its error pages, to explain a 500."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(logging.Formatter().format(record))


class FormChecker:
    """Posts examples to forms as the person who found them and checks what happened. A context
    manager: it listens to the application's log and database while it is open."""

    def __init__(self, app, people: list[Person]):
        self.app = app
        self.people = {person.label: person for person in people}
        self.snapshot = Snapshot()
        self.limits = PostgresLimits(self.snapshot.tables)
        self.errors, self.nul = ErrorLog(), NulWatch()

    def __enter__(self):
        self.app.logger.addHandler(self.errors)
        sa.event.listen(db.engine, "before_cursor_execute", self.nul)
        sa.event.listen(db.engine, "before_cursor_execute", self.snapshot.watch)
        return self

    def __exit__(self, *_exception):
        sa.event.remove(db.engine, "before_cursor_execute", self.snapshot.watch)
        sa.event.remove(db.engine, "before_cursor_execute", self.nul)
        self.app.logger.removeHandler(self.errors)

    def fuzz(self, form: Form) -> str | None:
        """Hypothesis looks for a failing example and shrinks it; the report says what failed
        and with which values, or None.

        The property is an inner function: the pytest fixtures (app, database, world) are set
        up once for the test, and each example restores the database itself, so no fixture is
        shared between examples without being reset."""

        shown = {f.name: as_shown(f) for f in form.fields}

        @EXAMPLES_PER_FORM
        @example(submission=with_long_lines(form, shown, LONG_LINE))  # tried every time
        @given(submission=submissions(form))
        def post_hostile_values(submission):
            self.check(form, submission)

        try:
            post_hostile_values()
        except Exception as error:  # every form is tried; all failures are reported
            notes = "\n".join(getattr(error, "__notes__", []))
            return shortened(f"{form.label}\n{type(error).__name__}: {error}\n{notes}")
        return None

    def check(self, form: Form, submission: dict[str, list]) -> None:
        self.snapshot.restore()
        limiter.reset()  # rate limits would answer 429 before the form is read
        self.errors.records.clear()
        self.nul.statements.clear()
        client = client_as(self.app, self.people[form.person])
        response = client.post(form.action, data=request_body(submission))
        self.assert_no_error_page(response, f"POST {form.action}")
        problems = injected_markup(response.get_data(as_text=True))
        assert not problems, f"the answer to the post shows {problems}"
        if was_refused(response):
            self.assert_nothing_saved(form, response)
        else:
            self.check_pages_shown_after(client, form, response)
        assert not self.nul.statements, (
            f"a NUL character reached the database, which PostgreSQL refuses: "
            f"{self.nul.statements[0]}"
        )
        stored = self.limits.violations()
        assert not stored, f"stored values PostgreSQL refuses: {stored}"

    def assert_nothing_saved(self, form: Form, response) -> None:
        changed = self.snapshot.tables_with_other_counts()
        changed -= WRITES_ON_REFUSAL.get(form.endpoint, set())
        if response.status_code == 403:
            changed -= {"audit_entry"}
        assert not changed, (
            f"refused with {response.status_code}, but rows were added to or removed from "
            f"{sorted(changed)}"
        )

    def check_pages_shown_after(self, client, form: Form, response) -> None:
        shown = [form.page]
        if response.status_code in {301, 302, 303, 307, 308}:
            location = response.headers["Location"]
            assert not leaves_the_site(location), f"redirected off the site to {location!r}"
            target = local_path(location, BASE_URL + form.action.lstrip("/"))
            shown = list(dict.fromkeys([target, form.page]))
        for path in shown:
            page = client.get(path)
            self.assert_no_error_page(page, f"GET {path} afterwards")
            problems = injected_markup(page.get_data(as_text=True))
            assert not problems, f"GET {path} afterwards shows {problems}"

    def assert_no_error_page(self, response, what: str) -> None:
        log = "\n".join(self.errors.records)
        assert response.status_code < 500, f"{what} answered {response.status_code}\n{log}"


def shortened(text: str, limit: int = 400) -> str:
    """Generated values can be 20,000 characters long; a report shows their beginning."""
    return "\n".join(
        line if len(line) <= limit else f"{line[:limit]}… ({len(line)} characters)"
        for line in text.splitlines()
    )


# The tests ---------------------------------------------------------------------------------------


def test_every_form_survives_hostile_input(app, make_user, make_site, tmp_path):
    app.instance_path = str(tmp_path)  # uploaded CVs go here, not into the working copy
    people = build_world(app, make_user, make_site)
    forms = discover_forms(app, people)
    endpoints = {form.endpoint for form in forms}
    assert len(endpoints) >= MIN_DISTINCT_FORM_ENDPOINTS, (
        f"the crawl found forms for only {len(endpoints)} endpoints: {sorted(endpoints)}"
    )
    with FormChecker(app, people) as checker:
        failures = [report for form in forms if (report := checker.fuzz(form))]
    assert not failures, f"{len(failures)} of {len(forms)} forms failed:\n\n" + "\n\n".join(
        failures
    )


def test_the_markup_check_sees_injections():
    page = (
        '<p>&lt;script&gt;alert("xss-1")&lt;/script&gt;</p>'
        '<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'
    )
    assert injected_markup(page) == []
    assert injected_markup('<p><script>alert("xss-1")</script></p>')
    assert injected_markup('<p>"><img src=x onerror=alert(1)></p>') == ["onerror= on <img>"]
    assert injected_markup("<p><svg/onload=alert(2)></p>") == ["onload= on <svg>"]
    assert injected_markup('<a href=" javascript:alert(3)">x</a>')
    assert leaves_the_site("//evil.example") and leaves_the_site("/\t/evil.example")
    assert leaves_the_site("/\\evil.example") and not leaves_the_site("/postings/?q=1")
