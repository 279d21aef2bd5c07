"""Fill a database with a synthetic programme at scale, for benchmarks (``make bench-data``).

At ``--scale 1.0`` (the default): 100,000 participants (accounts, profiles in every status,
languages, interests, recommended support, questionnaire answers, consents), 5,000 employers
(mostly approved, with owners and staff), 3,000 mentors with weekly times, 20,000 postings of
every kind and status written in the five languages, 200,000 applications, 10,000 placements
with their mentoring sessions, 6,000 training sessions with enrolment and attendance, 800
events with sign-ups, every status change with its history and audit entry; at four sites
(the demo's Riga and Linköping, and Liepāja and Norrköping, partners of the first two). Dates
count back from each site's today. Everything follows the site's own rules and is computed by
the site's own functions where the site computes it (see scripts/bench/programme.py).

The database is a SQLite file (default instance/bench.sqlite), or the PostgreSQL database named
by --database or MARKETPLACE_BENCH_DATABASE_URL (created if missing); it is migrated with the
site's migrations first. A database that already has accounts is left alone unless --replace.

Beside the database it writes a description for scripts/bench_web.py: instance/bench.json
for instance/bench.sqlite (``<file>.json`` for any SQLite file), instance/bench-postgresql.json
for PostgreSQL, or --json FILE. Its keys:

    database_url   the SQLAlchemy URL of the database (MARKETPLACE_DATABASE_URL for the site)
    scale, seed    as given; created_at: when it was filled (UTC, ISO 8601)
    accounts       participant, mentor, employer, coordinator, super_admin:
                   {"email": ..., "password": ...}, each an account of that role at Riga
    objects        posting_id           a published posting of Riga open for applications
                   busy_posting_id      the posting with the most applications (the employer's)
                   training_session_id  a held training session of Riga with the most enrolled
                   event_id             a coming event of Riga with the most sign-ups
                   participant_profile_id  the participant's profile (has applications)
                   mentor_profile_id    the mentor's profile (has running placements)
                   placement_id         a mentoring placement of that mentor (at Riga, running
                                        for some weeks where the scale has one; null when there
                                        is no mentoring placement at all)
                   organisation_id      the employer's organisation
    search         postings_q   words for /postings/?q= ("hotel")
                   people_q     words for /admin/users?q= ("koval")
                   mentor_area  an area for /mentors/?expertise= (an Expertise value)
                   mentor_week  a day for /mentors/?week_of= (YYYY-MM-DD; its week is searched)
                   mentor_language  a language for /mentors/?language=
    counts         rows per table

Every account has the password bench-mentoring-2026. One account per role is named in the
description and printed at the end: bench-participant@example.org, bench-mentor@example.org,
bench-employer@example.org, bench-coordinator@example.org, bench-admin@example.org.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The site's package, and this script's own parts (scripts/bench/).
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
# A developer's database: the development configuration (the site refuses production defaults).
os.environ["MARKETPLACE_ENV"] = "development"

import sqlalchemy as sa  # noqa: E402

from marketplace.config import normalise_database_url  # noqa: E402

BENCH_PASSWORD = "bench-mentoring-2026"
DEFAULT_SQLITE = ROOT / "instance" / "bench.sqlite"
DEFAULT_SEED = 2026
# The tables the summary counts, in the order a reader thinks of them.
SUMMARY_TABLES = [
    "site",
    "user_account",
    "role_grant",
    "organisation",
    "organisation_member",
    "participant_profile",
    "participant_language",
    "questionnaire_response",
    "mentor_profile",
    "availability_window",
    "posting",
    "posting_language",
    "application",
    "placement",
    "mentoring_session",
    "training_session",
    "training_enrolment",
    "event",
    "rsvp",
    "status_change",
    "audit_entry",
]


class Refusal(Exception):
    """Something the person running the script must change; said kindly, without a traceback."""


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench_data.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""examples:
  make bench-data                                  # instance/bench.sqlite at scale 1.0
  make bench-data BENCH_ARGS="--scale 0.1 --replace"
  .venv/bin/python scripts/bench_data.py --replace \\
      --database postgresql://postgres@127.0.0.1:5432/bench

Scale 1.0 takes about 1½ minutes on SQLite and 3 on PostgreSQL, on two cores.""",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size of the programme; 1.0 is the issue's numbers, 0.01 a hundredth (default 1.0)",
    )
    parser.add_argument(
        "--database",
        metavar="URL_OR_FILE",
        help="a SQLAlchemy URL (sqlite:///… or postgresql://…) or a SQLite file's path; default "
        "$MARKETPLACE_BENCH_DATABASE_URL, else instance/bench.sqlite. A PostgreSQL database "
        "that does not exist is created",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="empty a database that already has accounts first (a SQLite file is made anew, "
        "PostgreSQL tables are truncated); without it such a database is left alone",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"random seed: the same seed, scale and day make the same programme "
        f"(default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--json",
        metavar="FILE",
        type=Path,
        help="where to write the description for bench_web.py (default: beside the database, "
        "instance/bench.json; instance/bench-postgresql.json for PostgreSQL)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=5000,
        help="rows per INSERT … executemany and per commit (default 5000)",
    )
    arguments = parser.parse_args(argv)
    if not 0.0005 <= arguments.scale <= 10:
        parser.error("--scale must be between 0.0005 and 10")
    if arguments.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    return arguments


def database_url(given: str | None) -> sa.URL:
    value = given or os.environ.get("MARKETPLACE_BENCH_DATABASE_URL") or str(DEFAULT_SQLITE)
    if "://" not in value:
        return sa.make_url(f"sqlite:///{Path(value).expanduser().resolve()}")
    url = sa.make_url(normalise_database_url(value))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        # Flask-SQLAlchemy reads a relative SQLite path from instance/; here it means from here.
        url = url.set(database=str(Path(url.database).expanduser().resolve()))
    return url


def description_path(url: sa.URL, given: Path | None) -> Path:
    if given is not None:
        return given
    if url.get_backend_name() == "sqlite":
        return Path(url.database).with_suffix(".json")
    return ROOT / "instance" / "bench-postgresql.json"


def make_ready(url: sa.URL, replace: bool) -> None:
    """The database exists and holds no accounts (emptied first with ``replace``)."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise Refusal("Please name a SQLite file: an in-memory database ends with the script.")
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        _create_postgres_database(url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            accounts = 0
            if "user_account" in tables:
                accounts = connection.scalar(sa.text("SELECT count(*) FROM user_account"))
    except sa.exc.OperationalError as error:
        raise Refusal(f"Cannot open the database {describe(url)}: {error.orig}") from None
    finally:
        engine.dispose()
    if not accounts:
        return
    if not replace:
        raise Refusal(
            f"The database {describe(url)} already has {accounts:,} accounts, so nothing was "
            "changed.\nRun again with --replace to empty it and fill it anew "
            "(make bench-data BENCH_ARGS=--replace), or name another with --database."
        )
    print(f"Emptying {describe(url)} ({accounts:,} accounts) …")
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(url.database + suffix).unlink(missing_ok=True)
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        names = [t for t in sa.inspect(connection).get_table_names() if t != "alembic_version"]
        quoted = ", ".join(f'"{name}"' for name in names)
        connection.exec_driver_sql(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    engine.dispose()


def _create_postgres_database(url: sa.URL) -> None:
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            )
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
                print(f"Created the database {url.database}.")
    except sa.exc.OperationalError as error:
        raise Refusal(f"Cannot reach PostgreSQL at {describe(url)}: {error.orig}") from None
    finally:
        engine.dispose()


def describe(url: sa.URL) -> str:
    if url.get_backend_name() == "sqlite":
        return url.database
    return url.render_as_string(hide_password=True)


def fill(url: sa.URL, arguments: argparse.Namespace) -> dict:
    """Migrate, plan and write the programme; the description for bench_web.py."""
    from bench import loader as bulk
    from bench import sites
    from bench.programme import Planner
    from bench.writer import Writer, representative_posting
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from marketplace import create_app
    from marketplace.db import Base, utcnow
    from marketplace.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        upgrade()
        now = utcnow()
        # One hash for every account, made the way the site makes them.
        password_hash = generate_password_hash(
            BENCH_PASSWORD, method=app.config["PASSWORD_HASH_METHOD"]
        )
        site_infos, admin, questionnaires = sites.prepare(password_hash, now)
        connection = db.engine.connect()
        loader = bulk.Loader(connection, arguments.batch_size)
        loader.tune_for_loading()
        tables = Base.metadata.tables
        planner = Planner(
            site_infos,
            admin,
            arguments.scale,
            arguments.seed,
            now,
            lambda name: loader.next_id(tables[name]),
        )
        # Millions of small objects and no cycles among them: the collector would only
        # walk them again and again.
        gc.disable()
        started = time.perf_counter()
        print("Planning the programme …", flush=True)
        planner.plan()
        bench = planner.choose_bench_people()
        connection.commit()
        print(f"  planned in {time.perf_counter() - started:.1f} s; writing:", flush=True)
        writer = Writer(planner, loader, password_hash, questionnaires)
        writer.write()
        gc.enable()
        connection.commit()
        bulk.continue_sequences(connection)
        connection.close()
        print("Updating the query planner's statistics …", flush=True)
        bulk.tidy_after_loading(db.engine)
        counts = count_rows(db.engine)
        db.engine.dispose()
    return describe_programme(
        url, arguments, now, planner, bench, writer, counts, representative_posting(planner)
    )


def count_rows(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(sa.text(f'SELECT count(*) FROM "{table}"'))
            for table in SUMMARY_TABLES
        }


def describe_programme(url, arguments, now, planner, bench, writer, counts, posting_id) -> dict:
    from marketplace.mentors.models import Expertise

    riga = planner.by_slug["riga"]
    areas = [area for m in riga.mentors for area in m.areas]
    mentor_area = max(Expertise, key=lambda area: (areas.count(area), area.value))
    monday = riga.today + timedelta(days=7 - riga.today.weekday())
    password = BENCH_PASSWORD
    organisation = planner.bench_organisation
    return {
        "database_url": url.render_as_string(hide_password=False),
        "scale": arguments.scale,
        "seed": arguments.seed,
        "created_at": now.isoformat(),
        "accounts": {
            "participant": {"email": bench["participant"].person.email, "password": password},
            "mentor": {"email": bench["mentor"].person.email, "password": password},
            "employer": {"email": organisation.owner.email, "password": password},
            "coordinator": {"email": riga.coordinators[0].email, "password": password},
            "super_admin": {"email": planner.super_admin.email, "password": password},
        },
        "objects": {
            "posting_id": posting_id,
            "busy_posting_id": planner.busy_posting.id,
            "training_session_id": writer.representatives["training_session_id"],
            "event_id": writer.representatives["event_id"],
            "participant_profile_id": bench["participant"].id,
            "mentor_profile_id": bench["mentor"].id,
            "placement_id": bench["placement"].id if bench["placement"] else None,
            "organisation_id": organisation.id,
        },
        "search": {
            "postings_q": "hotel",
            "people_q": "koval",
            "mentor_area": mentor_area.value,
            "mentor_week": monday.isoformat(),
            "mentor_language": "ru",
        },
        "counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    url = database_url(arguments.database)
    target = description_path(url, arguments.json)
    started = time.perf_counter()
    try:
        make_ready(url, arguments.replace)
        print(f"Filling {describe(url)} at scale {arguments.scale:g} (seed {arguments.seed}) …")
        description = fill(url, arguments)
    except Refusal as refusal:
        print(refusal, file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(description, indent=2, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - started
    print("\nRows:")
    for table, count in description["counts"].items():
        print(f"  {table:<26} {count:>10,}")
    print("\nLog in with (password " + BENCH_PASSWORD + "):")
    for role, account in description["accounts"].items():
        print(f"  {role:<12} {account['email']}")
    print("Objects: " + ", ".join(f"{k}={v}" for k, v in description["objects"].items()))
    print(f"Described in {target}.")
    total = sum(description["counts"].values())
    print(f"Done: {total:,} rows in {elapsed:.0f} s ({elapsed / 60:.1f} min) into {describe(url)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
