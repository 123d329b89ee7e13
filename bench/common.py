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
