"""Benchmark of the escalation sweep on PostgreSQL (not a test).

    .venv/bin/python bench/sweep.py                      # 1,000,000 tickets, 100,000 open clocks
    .venv/bin/python bench/sweep.py --tickets 100000 --open 10000
    .venv/bin/python bench/sweep.py --db hotline_perf_bench --template hotline_perf   # fill once, reuse
    .venv/bin/python bench/sweep.py --reuse --all-open --breakdown   # same data again, as bench/run.py sweeps it

Builds (or rebuilds) the database --db (default hotline_bench_sweep) on the PostgreSQL of PGHOST (127.0.0.1,
user postgres), fills it with SQL (INSERT ... SELECT generate_series), then times sweeps:
catch-up (the first sweep: every clock already in a tier fires at once), quiet (5 minutes later:
nothing new), midnight (the next tier boundary: the clocks whose tier starts that day), and the
midnight sweep run again (must fire nothing). Prints time and query count for each; --breakdown adds
database time per statement kind and commits, CPU of this process and of its PostgreSQL backend, WAL.
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

DB_NAME = "hotline_bench_sweep"  # --db replaces it
HOST = os.environ.get("PGHOST", "127.0.0.1")
USER = os.environ.get("PGUSER", "postgres")


def _admin(*statements: str) -> list:
    import psycopg2

    conn = psycopg2.connect(host=HOST, user=USER, dbname="postgres")
    conn.autocommit = True
    answers = []
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            answers.append(cursor.fetchall() if cursor.description else None)
    conn.close()
    return answers


def recreate_database(template: str | None = None) -> bool:
    """Drop and create DB_NAME; from `template` when that database exists (returns True: already filled)."""
    if template:
        (found,) = _admin(f"SELECT 1 FROM pg_database WHERE datname = '{template}'")
        if found:
            _admin(f"DROP DATABASE IF EXISTS {DB_NAME}", f"CREATE DATABASE {DB_NAME} TEMPLATE {template}")
            return True
    _admin(f"DROP DATABASE IF EXISTS {DB_NAME}", f"CREATE DATABASE {DB_NAME}")
    return False


def save_template(template: str) -> None:
    """Keep a copy of the filled database, so the next run skips the fill (a file copy, seconds)."""
    from django.db import connections

    connections.close_all()
    _admin(f"DROP DATABASE IF EXISTS {template}", f"CREATE DATABASE {template} TEMPLATE {DB_NAME}")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"postgres://{USER}@{HOST}:5432/{DB_NAME}"
    os.environ["CELERY_BROKER_URL"] = "memory://"  # publishing must not be what we measure
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def fill(tickets: int, open_clocks: int, base: dt.datetime, *, overdue_days: int = 10) -> None:
    from django.core.management import call_command
    from django.db import connection

    from org.tests.factories import make_org

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
        # One reply clock per ticket: open for the tickets being handled (due from `overdue_days` days ago
        # to 40 - overdue_days days ahead, spread evenly: 1/4 overdue by default), met for the others.
        cursor.execute(
            """
            INSERT INTO tickets_ticketclock (
                ticket_id, clock, working_days, starts_at, due_at, status, met_at, extended_working_days,
                paused_working_days, calendar_warning, escalation_tier)
            SELECT t.id, 'reply', 15, t.received_at,
                   date_trunc('day', %(base)s::timestamptz AT TIME ZONE 'Asia/Shanghai')
                       AT TIME ZONE 'Asia/Shanghai' + ((t.id %% 40) - %(overdue)s) * interval '1 day'
                       + interval '86399 seconds',
                   CASE WHEN t.status = 'completed' THEN 'met' ELSE 'open' END,
                   CASE WHEN t.status = 'completed' THEN t.received_at END, 0, 0, '', 0
            FROM tickets_ticket t WHERE t.bureau_id = %(bureau)s
            """,
            {"bureau": org.bureau.pk, "base": base, "overdue": overdue_days},
        )
        schedule_first_tier(cursor)
        cursor.execute("ANALYZE")
    print(f"filled {tickets:,} tickets / {open_clocks:,} open clocks in {time.monotonic() - started:.1f} s")


def schedule_first_tier(cursor) -> None:
    """next_escalation_at of every open clock: the start of tier 1, from the calendar, per distinct due time."""
    from tickets.escalation import RuleBook, tier_starts_at
    from workdays import calendar
    from workdays.calendar import SHANGHAI

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


def reset(*, all_open: bool) -> None:
    """Back to the state the fill left (every open clock at tier 0, no escalation or notification), so
    two versions of the code can be timed on the same data, one after the other. With `all_open`, as
    bench/run.py measures the catch-up: every open clock due for a look (next_escalation_at = starts_at),
    also those not yet in any tier. VACUUM and a CHECKPOINT, so each run starts from the same state
    (the first change of a page after a checkpoint writes the whole page to the WAL)."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tickets_escalation, notifications_notification")
        cursor.execute("UPDATE tickets_ticketclock SET escalation_tier = 0 WHERE status = 'open'")
        if all_open:
            cursor.execute("UPDATE tickets_ticketclock SET next_escalation_at = starts_at WHERE status = 'open'")
        else:
            schedule_first_tier(cursor)
    connection.close()
    _admin_in(DB_NAME, "VACUUM ANALYZE", "CHECKPOINT")
    print(f"reset {'(every open clock due for a look) ' if all_open else ''}in {time.monotonic() - started:.1f} s")


def _admin_in(database: str, *statements: str) -> None:
    import psycopg2

    conn = psycopg2.connect(host=HOST, user=USER, dbname=database)
    conn.autocommit = True
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    conn.close()


def _statement_kind(sql: str) -> str:
    """The statement's verb and the first of our tables it names (the sweep's select names the clocks
    before the escalations of its EXISTS)."""
    words = sql.split()
    tables = ("tickets_escalation", "tickets_ticketclock", "notifications_notification", "org_user")
    found = sorted((sql.find(table), table) for table in tables if table in sql)
    if found:
        return f"{words[0].lower()} {found[0][1].split('_', 1)[1]}"
    return " ".join(words[:3]).lower()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process on this machine (the PostgreSQL backend serving us): unlike
    wall time, it hardly moves when other jobs share the cores."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_sweep(label: str, now: dt.datetime, *, breakdown: bool = False, batch_size: int | None = None) -> None:
    """One sweep as of `now`: wall time, queries, and (breakdown) the database time per kind of statement;
    what is left of the wall time is Python."""
    from collections import defaultdict

    from django.db import connection

    from tickets.escalation import escalation_sweep

    queries = []
    spent: dict[str, float] = defaultdict(float)

    def count(execute, sql, params, many, context):
        queries.append(sql)
        started = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[_statement_kind(sql)] += time.monotonic() - started

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), pg_current_wal_lsn()")
        backend, wal_before = cursor.fetchone()
    cpu_before = (time.process_time(), _cpu_seconds(backend))
    raw_commit = connection._commit

    def timed_commit():
        started = time.monotonic()
        try:
            return raw_commit()
        finally:
            spent["commit"] += time.monotonic() - started

    connection._commit = timed_commit
    started = time.monotonic()
    with connection.execute_wrapper(count):
        result = escalation_sweep(now=now, **({"batch_size": batch_size} if batch_size else {}))
    elapsed = time.monotonic() - started
    cpu = (time.process_time() - cpu_before[0], _cpu_seconds(backend) - cpu_before[1])
    del connection._commit  # back to the class's method
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [wal_before])
        (wal_bytes,) = cursor.fetchone()
    print(
        f"{label:<28} {elapsed:7.3f} s  {len(queries):5d} queries  clocks changed {result.clocks:7,}  "
        f"fired {dict(sorted(result.fired.items()))}  skipped {dict(sorted(result.skipped.items()))}  "
        f"notifications {result.notifications:,}"
    )
    if breakdown and result.clocks:
        in_database = sum(spent.values())
        parts = ", ".join(f"{kind} {seconds:.3f}" for kind, seconds in sorted(spent.items(), key=lambda kv: -kv[1]))
        print(f"{'':<28} database {in_database:.3f} s ({parts}); python {elapsed - in_database:.3f} s")
        print(
            f"{'':<28} cpu: python {cpu[0]:.3f} s, postgres backend {cpu[1]:.3f} s; "
            f"WAL {wal_bytes / 2**20:.0f} MB (whole server: other databases' writes count too)"
        )


def main() -> None:
    global DB_NAME
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000, help="open clocks (the rest are met)")
    parser.add_argument("--db", default=DB_NAME, help="the database to (re)build and sweep")
    parser.add_argument("--template", help="copy of the filled database: used when it exists, made when not")
    parser.add_argument("--breakdown", action="store_true", help="database time per kind of statement")
    parser.add_argument("--batch-size", type=int, help="clocks per transaction (default: the sweep's own)")
    parser.add_argument(
        "--overdue-days",
        type=int,
        default=10,
        help="open clocks are due from this many days ago to 40 - N days ahead (28: 70%% overdue, as generate.py)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep --db when it is filled and reset its sweep state instead of rebuilding (no second database)",
    )
    parser.add_argument(
        "--all-open",
        action="store_true",
        help="catch-up as bench/run.py measures it: every open clock due for a look, also those in no tier yet",
    )
    parser.add_argument("--reset-only", action="store_true", help="with --reuse: reset and stop (to EXPLAIN by hand)")
    parser.add_argument("--drop", action="store_true", help="drop --db after the sweeps")
    args = parser.parse_args()
    DB_NAME = args.db

    reused = args.reuse and _admin(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'")[0]
    filled = reused or recreate_database(args.template)
    setup_django()
    from workdays.calendar import SHANGHAI

    base = dt.datetime(2026, 11, 10, 10, 0, tzinfo=SHANGHAI)  # a Tuesday
    if reused:
        reset(all_open=args.all_open)
    elif filled:
        print(f"copied {args.template} (already filled)")
    else:
        fill(args.tickets, args.open, base, overdue_days=args.overdue_days)
        if args.template:
            save_template(args.template)
    if args.all_open and not reused:
        reset(all_open=True)
    if args.reset_only:
        return
    timed_sweep("catch-up (first sweep)", base, breakdown=args.breakdown, batch_size=args.batch_size)
    timed_sweep("quiet (5 minutes later)", base + dt.timedelta(minutes=5))
    midnight = dt.datetime(2026, 11, 11, 0, 0, 30, tzinfo=SHANGHAI)
    timed_sweep("midnight (tier boundary)", midnight, breakdown=args.breakdown, batch_size=args.batch_size)
    timed_sweep("midnight again", midnight)
    timed_sweep("quiet (next morning)", midnight + dt.timedelta(hours=9))
    if args.drop:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
