"""What the generator and the harness share: the bench database, Django setup, the accounts they log in as.

The bench never writes to the application's own database: it derives its own database name from
DATABASE_URL (same server and credentials) and creates that database when it is missing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/hotline"
FULL_DATABASE = "hotline_bench"
SMOKE_DATABASE = "hotline_bench_smoke"
BENCH_PASSWORD = "bench-password-123"
# The people the harness logs in as (created by the generator).
HANDLER = "bench_handler"
UNIT_LEADER = "bench_unitleader"
UNIT_DEPUTY = "bench_deputy"
SECTION_CHIEF = "bench_chief"
SECTION_REVIEWER = "bench_reviewer"
DISPATCHER = "bench_dispatcher"


def bench_database_url(name: str, base_url: str | None = None) -> str:
    """DATABASE_URL with its database name replaced by `name` (never the application's own database)."""
    base = base_url or os.environ.get("DATABASE_URL") or DEFAULT_SERVER_URL
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        parts = urlsplit(DEFAULT_SERVER_URL)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def database_ensure(url: str) -> bool:
    """Create the bench database if it is missing (connecting to `postgres`); True when it was created."""
    import psycopg2

    name = database_name(url)
    if not name.startswith("hotline_bench") and not name.startswith("test_hotline_bench"):
        raise SystemExit(f"refusing to use {name!r}: the bench only touches databases named hotline_bench*")
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        connection.close()


def django_setup(database_url: str | None = None) -> None:
    """Point Django at the bench database (when given) and set it up; DEBUG off so queries are not kept."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ["DEBUG"] = "false"
    import django

    django.setup()


def percentiles(timings: list[float]) -> dict[str, float]:
    """p50, p90 and p95 of a list of timings (any unit), nearest rank above the median."""
    import statistics

    ordered = sorted(timings)
    if not ordered:
        return {"p50": 0.0, "p90": 0.0, "p95": 0.0}

    def rank(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

    return {"p50": statistics.median(ordered), "p90": rank(0.90), "p95": rank(0.95)}


def feature_main(measure, doc: str, argv=None, **defaults) -> int:
    """`python -m bench.feature_x --database hotline_bench_…`: one feature module's figures alone, printed (and with
    --json, the rows as JSON lines), without the rest of bench/run.py."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--database", default=FULL_DATABASE, help="bench database name (hotline_bench*)")
    parser.add_argument("--json", action="store_true", help="also print each row as a JSON line")
    args = parser.parse_args(argv)
    url = bench_database_url(args.database)
    if not database_name(url).startswith("hotline_bench"):
        raise SystemExit(f"refusing to use {database_name(url)!r}: the bench only touches hotline_bench*")
    django_setup(url)
    from django.core.management import call_command

    # the pages link their static files through the production manifest, as in bench/run.py
    call_command("collectstatic", interactive=False, verbosity=0)
    for row in measure(**defaults):
        wall = row.get("wall_s")
        p90 = row.get("p90_s")
        shown = f"{wall * 1000:9.2f} ms" if wall is not None else "        -   "
        shown += f"  p90 {p90 * 1000:8.2f} ms" if p90 is not None else "  p90      -   "
        print(f"{row['key']:<28} {shown}  {row.get('target', '-'):<14} {row['met']:<8} {row.get('label', '')}")
        if row.get("note"):
            print(f"{'':<28} {row['note']}")
        if args.json:
            print(json.dumps(row, ensure_ascii=False, default=str))
    return 0
