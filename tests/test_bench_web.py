"""scripts/bench_web.py without a load run: reading wrk's report, the table's medians, shares
and targets, logging in on a live production server, counting statements, the bare server."""

import json
import secrets
import shutil

import pytest
import sqlalchemy as sa

from marketplace.accounts.roles import Role
from marketplace.extensions import db
from scripts import bench_web
from scripts.bench_web import (
    BenchError,
    Load,
    LoginFailed,
    PageRun,
    PageSkipped,
    WrkResult,
    parse_report,
    summarise,
)
from tests.conftest import TEST_PASSWORD

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40211/postings/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   210.33ms   40.12ms 612.00ms   81.20%
    Req/Sec   301.22     40.10   380.00     70.00%
  3012 requests in 10.00s, 95.12MB read
  Non-2xx or 3xx responses: 12
Requests/sec:    301.20
Transfer/sec:      9.51MB
bench-report {"requests": 3012, "duration_us": 10000412, "bytes": 99740000, "p50_us": 201000, \
"p95_us": 290500, "p99_us": 410250, "mean_us": 210330.5, "max_us": 612000, "errors": \
{"connect": 0, "read": 3, "write": 0, "timeout": 1, "status": 12}, "non_2xx": 12, \
"odd_status": 500}
"""


def result(rate: float, p95: float = 50.0, p99: float = 80.0, non_2xx: int = 0, status: int = 0):
    return WrkResult(
        requests=int(rate * 10),
        seconds=10.0,
        p50_ms=p95 / 2,
        p95_ms=p95,
        p99_ms=p99,
        socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": 0},
        non_2xx=non_2xx,
        odd_status=status,
    )


def test_the_lua_report_line_is_read_from_wrks_output():
    report = parse_report(WRK_OUTPUT)
    assert report.requests == 3012
    assert report.rate == pytest.approx(301.19, abs=0.01)
    assert (report.p50_ms, report.p95_ms, report.p99_ms) == (201.0, 290.5, 410.25)
    assert report.socket_errors == {"connect": 0, "read": 3, "write": 0, "timeout": 1}
    assert (report.non_2xx, report.odd_status) == (12, 500)


def test_wrk_output_without_the_report_line_stops_the_benchmark():
    with pytest.raises(BenchError, match="no report line"):
        parse_report("Running 10s test @ http://127.0.0.1:1/\n")


def test_medians_over_repetitions_and_the_share_of_the_bare_route_in_each():
    page = bench_web.PAGES_BY_NAME["dashboard"]
    run = PageRun(page, "/dashboard", rss_after=[90 * bench_web.MB, 120 * bench_web.MB])
    # The machine was slower in the second repetition: the bare route too.
    for rate, bare, p95, p99 in [(100, 1000, 40, 90), (60, 400, 70, 250), (120, 1000, 30, 80)]:
        run.add(result(rate, p95, p99), result(bare))
    row = summarise(run)
    assert row.rate == 100
    assert row.share == pytest.approx(0.12)  # median of 10%, 15%, 12% (not 100 / 1000)
    assert (row.p95_ms, row.p99_ms) == (40, 90)
    assert row.rss_mb == 120
    assert row.errors == "none"
    assert row.target == "ok"


def test_targets_differ_for_postings_pages_and_other_pages():
    postings = bench_web.PAGES_BY_NAME["postings"]
    training = bench_web.PAGES_BY_NAME["training"]
    assert bench_web.verdict(postings, 0.25, 99, 999, 150) == "ok"
    assert bench_web.verdict(postings, 0.19, 100, 10, 150) == "MISS: share < 20%, p95 ≥ 100 ms"
    assert bench_web.verdict(training, 0.10, 999, 299, None) == "ok"
    assert bench_web.verdict(training, 0.09, 1, 300, 200) == (
        "MISS: share < 10%, p99 ≥ 300 ms, RSS ≥ 200 MB"
    )


def test_answers_other_than_2xx_are_a_visible_error_in_the_table():
    run = PageRun(bench_web.PAGES_BY_NAME["applicants"], "/applications/posting/7")
    run.first_answer = "302 → /login?next=/applications/posting/7"
    run.add(result(900, non_2xx=9000, status=302), result(1000))
    row = summarise(run)
    assert row.failed
    assert row.errors == "NON-2XX 9000× 302 (302 → /login?next=/applications/posting/7)"
    assert row.target == "— (not the page's figures)"
    table = bench_web.text_table([row])
    assert "NON-2XX 9000× 302" in table
    markdown = bench_web.markdown_table([row]).splitlines()
    assert markdown[0].startswith("| page | req/s | p50 ms |")
    assert len(markdown) == 3 and "NON-2XX" in markdown[2]


def test_pages_are_chosen_by_name_in_the_tables_order():
    names = [page.name for page in bench_web.choose_pages("training, home")]
    assert names == ["home", "training"]
    default = [page.name for page in bench_web.choose_pages(None)]
    assert "home" in default and "recommendations" in default and "event" not in default
    assert len(bench_web.choose_pages("all")) == len(bench_web.PAGES)
    with pytest.raises(BenchError, match="No page called nowhere"):
        bench_web.choose_pages("home,nowhere")


def test_the_description_gives_each_page_its_path(tmp_path, app):
    description = tmp_path / "bench.json"
    description.write_text(
        json.dumps(
            {
                "database_url": "sqlite:////tmp/x.sqlite",
                "scale": 1.0,
                "accounts": {"employer": {"email": "e@example.org", "password": "p"}},
                "objects": {"busy_posting_id": 7, "placement_id": None},
                "search": {"postings_q": "viesnīca & co", "mentor_area": "kitchen"},
            }
        )
    )
    data = bench_web.read_data(description)
    page = bench_web.PAGES_BY_NAME
    assert data.path_of(page["applicants"]) == "/applications/posting/7"
    assert data.path_of(page["postings-search"]) == ("/postings/?q=viesn%C4%ABca%20%26%20co")
    assert data.account("employer") == ("e@example.org", "p")
    with pytest.raises(PageSkipped, match="names no placement_id"):
        data.path_of(page["placement"])
    with pytest.raises(PageSkipped, match="names no mentor_week"):
        data.path_of(page["mentor-search"])
    with pytest.raises(BenchError, match=r"no accounts\.coordinator"):
        data.account("coordinator")
    with pytest.raises(BenchError, match="make bench-data"):
        bench_web.read_data(tmp_path / "missing.json")


def test_cookies_follow_set_cookie_headers_secure_or_not():
    import email.message

    cookies = {"session": "old", "remember_token": "r"}
    headers = email.message.Message()
    headers["Set-Cookie"] = "session=new.value; Secure; HttpOnly; Path=/; SameSite=Lax"
    headers["Set-Cookie"] = "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"
    bench_web.keep_cookies(cookies, bench_web.Answer(302, headers, ""))
    assert cookies == {"session": "new.value"}
    assert bench_web.parse_cookie(bench_web.cookie_header(cookies)) == cookies


PRODUCTION_KEY = secrets.token_urlsafe(48)


@pytest.fixture
def live_server_env() -> dict:
    """The live server in production settings, as bench-web serves the site: Secure cookies."""
    return {
        "MARKETPLACE_ENV": "production",
        "MARKETPLACE_SECRET_KEY": PRODUCTION_KEY,
        "MARKETPLACE_SERVER_NAME": "127.0.0.1",
    }


def test_logging_in_gives_a_cookie_that_signs_in_the_server_and_the_counted_request(
    app, make_user, live_server, database_url
):
    email = make_user(Role.PARTICIPANT).email
    db.session.commit()  # no transaction, and so no lock on SQLite, while the server works
    assert "Secure" in bench_web.fetch(live_server.url + "/login").headers["Set-Cookie"]
    cookie = bench_web.log_in(live_server.url, email, TEST_PASSWORD)

    signed_in = bench_web.fetch(
        live_server.url + "/dashboard", cookies=bench_web.parse_cookie(cookie)
    )
    assert signed_in.status == 200
    anonymous = bench_web.fetch(live_server.url + "/dashboard")
    assert anonymous.status == 302 and "/login" in anonymous.location

    # The same cookie signs in the site in this process, where statements are counted.
    site = bench_web.InProcessSite(
        {
            "MARKETPLACE_ENV": "production",
            "MARKETPLACE_SECRET_KEY": PRODUCTION_KEY,
            "MARKETPLACE_SERVER_NAME": "127.0.0.1",
            "MARKETPLACE_DATABASE_URL": database_url,
        },
        live_server.url,
    )
    try:
        counted = site.count("/dashboard", cookie)
        anonymous_count = site.count("/dashboard", "")
    finally:
        site.close()
    assert counted.status == 200 and counted.statements > 0
    assert anonymous_count.status == 302

    with pytest.raises(LoginFailed, match="wrong e-mail or password"):
        bench_web.log_in(live_server.url, email, "not the password")


def test_statements_are_counted_on_the_engine_without_transaction_control(app):
    with bench_web.counting_statements(db.engine) as statements:
        db.session.execute(sa.select(1))
        db.session.execute(sa.select(2))
        db.session.commit()
    db.session.execute(sa.select(3))
    assert statements == ["SELECT 1", "SELECT 2"]


def test_the_bare_route_is_served_by_gunicorn_and_its_workers_memory_read(tmp_path):
    with bench_web.gunicorn(
        "bare",
        "bench_bare:app",
        port=bench_web.free_port(),
        workers=2,
        environment={},
        log_dir=tmp_path,
        extra_path=bench_web.ROOT / "scripts",
    ) as server:
        answer = bench_web.fetch(server.url + "/")
        assert (answer.status, answer.body) == (200, "hello")
        assert len(server.workers()) == 2
        sizes = server.worker_rss()
        assert len(sizes) == 2 and all(
            5 * bench_web.MB < size < 500 * bench_web.MB for size in sizes
        )
        # What settle() does after a page whose queue would take too long to work off.
        before = server.workers()
        server.stop(quick=True)
        server.start()
        assert bench_web.fetch(server.url + "/").status == 200
        assert len(server.workers()) == 2 and not set(server.workers()) & set(before)
    assert server.process.poll() is not None


def test_wrk_with_the_report_script_counts_redirects_as_errors(app, make_user, live_server):
    if shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (apt-get install wrk): bench_report.lua was not run")
    email = make_user(Role.PARTICIPANT).email
    db.session.commit()  # no transaction, and so no lock on SQLite, while the server works
    cookie = bench_web.log_in(live_server.url, email, TEST_PASSWORD)
    load = Load(connections=2, threads=1, duration="1s", timeout="5s")

    refused = bench_web.run_wrk(live_server.url + "/dashboard", load)
    assert refused.requests > 0 and refused.non_2xx == refused.requests
    assert refused.odd_status == 302

    signed_in = bench_web.run_wrk(live_server.url + "/dashboard", load, cookie)
    assert signed_in.requests > 0 and signed_in.non_2xx == 0
    assert 0 < signed_in.p50_ms <= signed_in.p95_ms <= signed_in.p99_ms
