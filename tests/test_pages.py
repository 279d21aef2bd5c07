"""Every page reachable without parameters renders well for every kind of person."""

import re

import pytest
from bs4 import BeautifulSoup

from marketplace.accounts.roles import Role
from marketplace.i18n import LANGUAGES
from tests.conftest import log_in

PEOPLE = [None, *Role]
SKIPPED_ENDPOINTS = {"main.healthz"}  # JSON, not a page


def parameterless_get_pages(app) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if (
            "GET" in rule.methods
            and not rule.arguments
            and rule.endpoint not in SKIPPED_ENDPOINTS
            and not rule.endpoint.endswith("static")
        ):
            pages.append(rule.rule)
    return sorted(pages)


def problems_in(html: str, locale: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    problems = []
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


def test_language_list_offers_the_five_languages():
    assert list(LANGUAGES) == ["en", "lv", "sv", "ru", "uk"]
