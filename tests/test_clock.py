"""The suite can be run at any instant: MARKETPLACE_TEST_NOW moves the whole session there."""

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from marketplace.participants import services as participants
from marketplace.sites.clock import today_at
from tests.clock import site_today
from tests.conftest import ROOT, TEST_NOW, instant_from_setting

pytestmark = pytest.mark.clock

# 23:30 UTC on Saturday 28 March 2026: in Riga it is already 01:30 on Sunday 29 March, the night
# the clocks go forward; in Linköping 00:30 on the 29th.
LATE_EVENING = "2026-03-28T23:30:00Z"


@pytest.mark.skipif(not TEST_NOW, reason="runs only at the instant MARKETPLACE_TEST_NOW names")
def test_the_site_clock_follows_the_instant_given(make_site):
    riga, linkoping = make_site("riga"), make_site("linkoping")
    start = instant_from_setting(TEST_NOW)
    now = datetime.now(UTC)
    assert start <= now < start + timedelta(hours=1)  # travelled there, and the clock ticks
    assert today_at(riga) == site_today() == now.astimezone(riga.zone).date()
    assert today_at(linkoping) == now.astimezone(linkoping.zone).date()
    if TEST_NOW == LATE_EVENING:
        assert (now.date(), today_at(riga)) == (date(2026, 3, 28), date(2026, 3, 29))
        # The app counts ages on the site's date: 18 today in Riga, though not yet in UTC.
        assert participants.eligibility_problem(date(2008, 3, 29), riga) is None
        assert participants.eligibility_problem(date(2008, 3, 30), riga) is not None


def test_the_whole_session_can_be_moved_to_a_late_evening():
    """Runs the test above in a new session started at 23:30 UTC, when Riga's date is already
    tomorrow's, and checks that it ran there and passed."""
    if TEST_NOW == LATE_EVENING:
        pytest.skip("this session already runs at that instant")
    environment = {**os.environ, "MARKETPLACE_TEST_NOW": LATE_EVENING}
    environment.pop("MARKETPLACE_TEST_DATABASE_URL", None)  # its own SQLite file, not ours
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--no-header", "-rA",
         f"{__file__}::test_the_site_clock_follows_the_instant_given"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED" in result.stdout and "1 passed" in result.stdout


MACHINE_DATE = re.compile(r"\bdate\.today\(|\bdatetime\.now\(\)|\bdatetime\.utcnow\(")


def test_nothing_takes_today_from_the_machine():
    """The app and the tests count days on a site's clock (marketplace/sites/clock.py,
    tests/clock.py). Only a test that freezes the clock with time-machine may read the machine's
    date, to show how it differs."""
    offenders = []
    for path in sorted([*ROOT.glob("marketplace/**/*.py"), *ROOT.glob("tests/**/*.py")]):
        text = path.read_text(encoding="utf-8")
        if path.is_relative_to(ROOT / "tests") and "import time_machine" in text:
            continue
        offenders += [
            f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), 1)
            if MACHINE_DATE.search(line)
        ]
    assert offenders == []


def test_an_instant_without_its_offset_is_refused():
    with pytest.raises(pytest.UsageError, match="with an offset"):
        instant_from_setting("2026-03-28T23:30:00")
    with pytest.raises(pytest.UsageError):
        instant_from_setting("tomorrow")
    assert instant_from_setting("2026-03-29T01:30:00+02:00") == datetime(
        2026, 3, 28, 23, 30, tzinfo=UTC
    )
