"""Retake the README's screenshots (docs/screenshots/) from the demo data.

Loads the demo (marketplace/demo.py) into a temporary SQLite database, serves it on a free port
of this machine and photographs each page with Debian's Chromium through Playwright, at the
window size the README shows (the visible window, not the whole page, so each PNG stays small).
Run it with ``make screenshots``; ``--help`` lists the options.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The development configuration: the demo's accounts, mail kept on this machine, the dev key.
os.environ.setdefault("MARKETPLACE_ENV", "development")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LARGEST = 300 * 1024  # bytes; the README stays quick to load


@dataclass(frozen=True)
class Shot:
    file: str
    account: str | None  # None: a visitor who has not logged in
    language: str
    path: str
    window: dict


SHOTS = [
    Shot("home.png", None, "lv", "/", DESKTOP),
    Shot("home-phone.png", None, "lv", "/", PHONE),
    Shot("postings.png", None, "en", "/postings/", {"width": 1200, "height": 1100}),
    Shot("dashboard-participant.png", "artem@example.org", "en", "/dashboard", DESKTOP),
    Shot("dashboard-coordinator.png", "coordinator.riga@example.org", "en", "/dashboard", DESKTOP),
    Shot("dashboard-mentor-phone.png", "mentor.riga@example.org", "en", "/dashboard", PHONE),
]


def load_demo(database: Path):
    """An app on a fresh database holding the demo, each account reading its shot's language."""
    import sqlalchemy as sa
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.accounts.models import User
    from marketplace.demo import load_demo_data
    from marketplace.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        upgrade()
        load_demo_data()
        for shot in SHOTS:
            if shot.account:
                db.session.execute(
                    sa.update(User)
                    .where(User.email == shot.account)
                    .values(preferred_locale=shot.language)
                )
        db.session.commit()
    return app


def take(base_url: str, out: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    from marketplace.demo import DEMO_PASSWORD

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for shot in SHOTS:
            context = browser.new_context(
                locale=shot.language,
                viewport=shot.window,
                extra_http_headers={"Accept-Language": shot.language},
            )
            page = context.new_page()
            if shot.account:
                page.goto(base_url + "/login")
                page.fill("#email", shot.account)
                page.fill("#password", DEMO_PASSWORD)
                page.click("#submit")
                page.wait_for_load_state("load")
            page.goto(base_url + shot.path)
            target = out / shot.file
            page.screenshot(path=target)
            size = target.stat().st_size
            print(f"{target}: {size // 1024} KB")
            if size > LARGEST:
                sys.exit(f"{shot.file} is larger than {LARGEST // 1024} KB: take a smaller window")
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNG files"
    )
    parser.add_argument(
        "--chromium",
        default=shutil.which("chromium") or "/usr/bin/chromium",
        help="the Chromium to drive (Debian: apt-get install chromium)",
    )
    arguments = parser.parse_args()
    if not Path(arguments.chromium).exists():
        sys.exit("Chromium is not installed: run `apt-get install chromium` (Debian).")
    arguments.out.mkdir(parents=True, exist_ok=True)

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line for every request

    with tempfile.TemporaryDirectory() as folder:
        app = load_demo(Path(folder) / "demo.sqlite")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            take(f"http://127.0.0.1:{server.server_port}", arguments.out, arguments.chromium)
        finally:
            server.shutdown()
    print(f"Took {len(SHOTS)} screenshots into {arguments.out}")


if __name__ == "__main__":
    main()
