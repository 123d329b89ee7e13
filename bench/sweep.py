"""Benchmark of the escalation sweep on PostgreSQL (not a test).

    .venv/bin/python bench/sweep.py                      # 1,000,000 tickets, 100,000 open clocks
    .venv/bin/python bench/sweep.py --tickets 100000 --open 10000

Builds (or rebuilds) the database hotline_bench_sweep on the PostgreSQL of PGHOST (127.0.0.1,
user postgres), fills it with SQL (INSERT ... SELECT generate_series), then times sweeps:
catch-up (the first sweep: every clock already in a tier fires at once), quiet (5 minutes later:
nothing new), midnight (the next tier boundary: the clocks whose tier starts that day), and the
midnight sweep run again (must fire nothing). Prints time and query count for each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "hotline_bench_sweep"
HOST = os.environ.get("PGHOST", "127.0.0.1")
USER = os.environ.get("PGUSER", "postgres")


def recreate_database() -> None:
    import psycopg2

    conn = psycopg2.connect(host=HOST, user=USER, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        cursor.execute(f"CREATE DATABASE {DB_NAME}")
    conn.close()


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"postgres://{USER}@{HOST}:5432/{DB_NAME}"
    os.environ["CELERY_BROKER_URL"] = "memory://"  # publishing must not be what we measure
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def fill(tickets: int, open_clocks: int, base: dt.datetime) -> None:
    from django.core.management import call_command
    from django.db import connection

    from org.tests.factories import make_org
    from tickets.escalation import RuleBook, tier_starts_at
    from workdays import calendar
    from workdays.calendar import SHANGHAI

    call_command("migrate", verbosity=0)
    org = make_org("bench")
    started = time.monotonic()
    with connection.cursor() as cursor:
        # Tickets: the first `open_clocks` are being handled by org.handler in office A, the rest completed.
        cursor.execute(
            """
            INSERT INTO tickets_ticket (
                bureau_id, source, external_id, kind, title, content, tags, is_advertising, is_urgent,
                complainant_name, complainant_phone, complainant_id_number, complainant_address,
                complainant_is_real_name, is_confidential, may_publish, respondent_name, respondent_credit_code,
                respondent_address, location_address, received_at, status, reply_text, return_count,
                request_hash, version, created_at, updated_at, unit_id, handler_id)
            SELECT %(bureau)s, 'hotline_12345', 'BENCH-' || n, 'complaint', '预付卡', '内容', '[]'::jsonb, false,
                   false, '', '', '', '', false, false, false, '', '', '', '', %(base)s - (n %% 60) * interval '1 day',
                   CASE WHEN n <= %(open)s THEN 'in_progress' ELSE 'completed' END, '', 0, '', 1, %(base)s,
                   %(base)s, %(unit)s, %(handler)s
            FROM generate_series(1, %(tickets)s) AS n
            """,
            {
                "bureau": org.bureau.pk,
                "unit": org.office_a.pk,
                "handler": org.handler.pk,
                "base": base,
                "open": open_clocks,
                "tickets": tickets,
            },
        )
        # One reply clock per ticket: open for the tickets being handled (due from 10 days ago to 30 days
        # ahead, spread evenly), met for the others.
        cursor.execute(
            """
            INSERT INTO tickets_ticketclock (
                ticket_id, clock, working_days, starts_at, due_at, status, met_at, extended_working_days,
                paused_working_days, calendar_warning, escalation_tier)
            SELECT t.id, 'reply', 15, t.received_at,
                   date_trunc('day', %(base)s::timestamptz AT TIME ZONE 'Asia/Shanghai')
                       AT TIME ZONE 'Asia/Shanghai' + ((t.id %% 40) - 10) * interval '1 day' + interval '86399 seconds',
                   CASE WHEN t.status = 'completed' THEN 'met' ELSE 'open' END,
                   CASE WHEN t.status = 'completed' THEN t.received_at END, 0, 0, '', 0
            FROM tickets_ticket t WHERE t.bureau_id = %(bureau)s
            """,
            {"bureau": org.bureau.pk, "base": base},
        )
        # next_escalation_at: the start of tier 1, from the calendar, per distinct due time.
        cursor.execute("SELECT DISTINCT due_at FROM tickets_ticketclock WHERE status = 'open'")
        book, cal = RuleBook.load(), calendar.get_calendar()
        first_tier = book.tiers_for("reply")[0]
        starts = [
            (due.astimezone(SHANGHAI), tier_starts_at(due, first_tier.offset_working_days, cal))
            for (due,) in cursor.fetchall()
        ]
        cursor.executemany(
            "UPDATE tickets_ticketclock SET next_escalation_at = %s WHERE status = 'open' AND due_at = %s",
            [(start, due) for due, start in starts],
        )
        cursor.execute("ANALYZE")
    print(f"filled {tickets:,} tickets / {open_clocks:,} open clocks in {time.monotonic() - started:.1f} s")


def timed_sweep(label: str, now: dt.datetime) -> None:
    from django.db import connection

    from tickets.escalation import escalation_sweep

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    started = time.monotonic()
    with connection.execute_wrapper(count):
        result = escalation_sweep(now=now)
    elapsed = time.monotonic() - started
    print(
        f"{label:<28} {elapsed:7.3f} s  {len(queries):5d} queries  clocks changed {result.clocks:7,}  "
        f"fired {dict(sorted(result.fired.items()))}  skipped {dict(sorted(result.skipped.items()))}  "
        f"notifications {result.notifications:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000, help="open clocks (the rest are met)")
    args = parser.parse_args()

    recreate_database()
    setup_django()
    from workdays.calendar import SHANGHAI

    base = dt.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)  # a Tuesday
    fill(args.tickets, args.open, base)
    timed_sweep("catch-up (first sweep)", base)
    timed_sweep("quiet (5 minutes later)", base + dt.timedelta(minutes=5))
    midnight = dt.datetime(2026, 11, 11, 0, 0, 30, tzinfo=SHANGHAI)
    timed_sweep("midnight (tier boundary)", midnight)
    timed_sweep("midnight again", midnight)
    timed_sweep("quiet (next morning)", midnight + dt.timedelta(hours=9))


if __name__ == "__main__":
    main()
