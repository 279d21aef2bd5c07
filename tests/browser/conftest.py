"""Playwright driving Debian's Chromium against the live server (tests/conftest.py).

Without Chromium these tests are skipped with a message saying how to install it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from marketplace.extensions import db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
HEADLESS_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium is not installed: run `apt-get install chromium` (Debian) to run "
            "the browser tests; .ci/run installs it."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=HEADLESS_FLAGS)
        yield browser
        browser.close()


class Visit:
    """A browser context as one person, remembering every page it saw and any console error."""

    def __init__(self, browser, base_url: str, locale: str = "en", **options):
        self.base_url = base_url
        self.context = browser.new_context(
            locale=locale, extra_http_headers={"Accept-Language": locale}, **options
        )
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.visited: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on(
            "framenavigated",
            lambda frame: frame == self.page.main_frame and self.visited.append(frame.url),
        )

    def go(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def log_in(self, email: str, password: str):
        """Through the real login form, as a person would."""
        page = self.go("/login")
        page.fill("#email", email)
        page.fill("#password", password)
        page.click("#submit")
        return page

    def close(self):
        self.context.close()


@pytest.fixture
def visit(chromium, live_server):
    """Open a browser as one person. The test's own database session keeps what it loaded
    after each commit, so reading an attribute never opens a transaction (and, on SQLite,
    never holds the write lock) while the server is working."""
    db.session().expire_on_commit = False
    opened = []

    def open_visit(locale="en", **options) -> Visit:
        new = Visit(chromium, live_server.url, locale, **options)
        opened.append(new)
        return new

    yield open_visit
    for each in opened:
        each.close()


def settle(value=None):
    """End the test's transaction (after setting up or reading), and pass ``value`` through."""
    db.session.commit()
    return value


PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def click_form(page, action_suffix: str):
    """Press the button of the form posting to ``action_suffix`` (language-independent)."""
    page.click(f"form[action$='{action_suffix}'] [type=submit]")
    page.wait_for_load_state("load")


def check_page(person, name: str, locale: str, axe=None, slug: str = "") -> list[str]:
    """Screenshot the page ``person`` has open on a desktop and a phone, and check it at phone
    width (nothing overflows sideways, no serious or critical axe finding); return the problems.
    Works on a page shown in answer to a form too, which a revisit could not show again (give it
    a ``slug`` to name its screenshots apart from the page at the same address)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = axe or Axe()
    page = person.page
    path = page.url.removeprefix(person.base_url)
    slug = slug or re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=SCREENSHOTS / f"{name}-{locale}-{slug}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)  # the layout follows the new width without a reload
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"{path} overflows by {overflow}px at phone width")
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{path}: {violation['id']} ({violation['impact']}) at {targets}")
    page.screenshot(path=SCREENSHOTS / f"{name}-{locale}-{slug}-phone.png", full_page=True)
    return problems


def sweep(person, name: str, locale: str, paths: list[str] | None = None) -> list[str]:
    """Revisit every page ``person`` saw (or open each of ``paths``), screenshot it on a desktop
    and a phone, and check it at phone width; return the problems found."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    urls = [person.base_url + path for path in paths] if paths else person.visited
    for url in dict.fromkeys(urls):
        person.page.set_viewport_size(DESKTOP)
        person.page.goto(url)
        problems += check_page(person, name, locale, axe)
    problems += [f"console: {error}" for error in person.errors]
    person.errors.clear()
    return problems
