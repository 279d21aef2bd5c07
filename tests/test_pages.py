"""Every page reachable without parameters renders well for every kind of person."""

import re

import pytest
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.i18n import LANGUAGES
from marketplace.open_data import API_PREFIX
from tests import access_requests, access_world
from tests.conftest import log_in

PEOPLE = [None, *Role]
# Not pages: JSON (the health and readiness checks, the open data API) and downloads (the audit
# log's CSV, a person's data), tested where they are made.
SKIPPED_ENDPOINTS = {"main.healthz", "readyz", "audit.download", "privacy.my_data"}
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
# A CSRF token, session value or signed link: a long unbroken run of token characters.
TOKEN_LIKE = re.compile(r"[A-Za-z0-9_\-.]{32,}")


def parameterless_get_pages(app) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if (
            "GET" in rule.methods
            and not rule.arguments
            and rule.endpoint not in SKIPPED_ENDPOINTS
            and not rule.rule.startswith(API_PREFIX)
            and not rule.endpoint.endswith("static")
        ):
            pages.append(rule.rule)
    return sorted(pages)


def problems_in(html: str, locale: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = title_problems(html)
    if soup.html is None or soup.html.get("lang") != locale:
        problems.append(f"<html lang> is not {locale}")
    if len(soup.find_all("h1")) != 1:
        problems.append(f"{len(soup.find_all('h1'))} h1 elements")
    for script in soup.find_all("script"):
        if not script.get("src"):
            problems.append("inline <script>")
    if soup.find_all("style"):
        problems.append("<style> element")
    for element in soup.find_all(True):
        for attribute in element.attrs:
            if attribute == "style" or re.fullmatch(r"on[a-z]+", attribute):
                problems.append(f"{attribute}= on <{element.name}>")
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in {"hidden", "submit", "button"}:
            continue
        labelled = field.get("aria-label") or (
            field.get("id") and soup.find("label", attrs={"for": field["id"]})
        )
        if not labelled:
            problems.append(f"unlabelled field {field.get('name')}")
    return problems


def title_problems(html: str) -> list[str]:
    titles = TITLE.findall(html)
    if len(titles) != 1:
        return [f"{len(titles)} <title> elements"]
    title = titles[0]
    problems = []
    if "<" in title or ">" in title:
        problems.append("markup in <title>")
    if TOKEN_LIKE.search(title):
        problems.append("token-like text in <title>")
    return problems


@pytest.mark.parametrize("role", PEOPLE, ids=lambda r: r.value if r else "visitor")
def test_every_page_is_well_formed_for_each_person(app, make_user, role):
    client = app.test_client()
    if role is not None:
        log_in(client, make_user(role))
    checked = 0
    for locale in ("en", "uk"):
        for path in parameterless_get_pages(app):
            response = client.get(path, headers={"Accept-Language": locale})
            assert response.status_code in {200, 302, 403}, path
            if response.status_code == 302:
                continue
            problems = problems_in(response.get_data(as_text=True), locale)
            assert not problems, f"{path} ({locale}): {problems}"
            checked += 1
    assert checked >= 4


def test_page_check_notices_inline_code_and_unlabelled_fields():
    html = (
        '<html lang="en"><body><h1>A</h1><h1>B</h1><script>alert(1)</script>'
        '<p style="color:red" onclick="x()">x</p><input name="q"></body></html>'
    )
    problems = problems_in(html, "lv")
    assert "<html lang> is not lv" in problems
    assert "2 h1 elements" in problems
    assert "inline <script>" in problems
    assert "style= on <p>" in problems
    assert "onclick= on <p>" in problems
    assert "unlabelled field q" in problems


def test_page_check_notices_markup_and_tokens_in_the_title():
    token = "IjY3ZWQ0ZjA1YjQ2ZTkxMjM0NTY3ODkwYWJjZGVmIg.Zx1aBc.dEf-Gh1jKlMnOpQrStUvWxYz"
    markup = "<html><head><title>Account<section><input value='x'></title></head></html>"
    leaked = f"<html><head><title>Account {token}</title></head></html>"
    assert "markup in <title>" in title_problems(markup)
    assert "token-like text in <title>" in title_problems(leaked)
    assert title_problems("<title>Your account · Mentoring marketplace</title>") == []


@pytest.mark.parametrize("locale", ["en", "lv", "sv", "ru", "uk"])
def test_account_page_title_is_plain_text_in_every_language(app, make_user, locale):
    client = app.test_client()
    log_in(client, make_user(Role.PARTICIPANT))
    response = client.get("/account/", headers={"Accept-Language": locale})
    assert response.status_code == 200
    assert title_problems(response.get_data(as_text=True)) == []


def test_language_list_offers_the_five_languages():
    assert list(LANGUAGES) == ["en", "lv", "sv", "ru", "uk"]


def test_pages_about_someones_objects_have_plain_titles(app, make_user):
    """The pages the sweep above cannot reach (a posting, an application, a placement...),
    requested by each person who owns or manages something in the access world."""
    world = access_world.build(app, make_user)
    owners = ("participant", "mentor", "staff", "coordinator", "super_admin")
    clients = {visitor: access_requests.client_as(app, world, visitor) for visitor in owners}
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.arguments or rule.endpoint.endswith("static"):
            continue
        path = access_requests.path_for(app, rule, world)
        for visitor, client in clients.items():
            response = client.get(path, headers={"Accept-Language": "lv"})
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            problems = title_problems(response.get_data(as_text=True))
            assert not problems, f"{path} as {visitor}: {problems}"
            checked += 1
    assert checked >= 50
