"""Cluster alerts' figures for bench/run.py (found by its measure_features): the staff API's alert list, in-process.

    python bench/run.py --database hotline_bench_alerts --seconds 2 --warmup 0.5 --output var/bench/RESULTS-alerts.md

`measure()` signs in as the section chief (bench_chief: every alert of the bureau) and asks
GET /api/v1/staff/alerts/ (the first page of 50, open first) and GET /api/v1/staff/alerts/?status=open&kind=template
through Django's test client in this process, for `seconds` each after a warm-up, and reports the median
and the 95th percentile per request (the whole Django stack: middleware, session, permissions, the query,
the JSON). Target: p50 <= 20 ms (issue 17's brief, measured at 5,000 tickets). It also measures the review
dashboard's panel query (alerts.selectors.open_alerts_by_kind_and_age).
"""

from __future__ import annotations

import statistics
import time

LIST_P50_MS = 20.0
PANEL_P50_MS = 5.0
SECONDS = 2.0
WARMUP = 0.5


def _timed(call, seconds: float, warmup: float) -> tuple[list[float], float]:
    """Wall times of each call (sorted), and this process's CPU time per call (the Python side alone: what is
    left of the wall time is the database and, on a busy machine, waiting for a core)."""
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        call()
    timings = []
    cpu = time.process_time()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(timings) < 20:
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return sorted(timings), (time.process_time() - cpu) / len(timings)


def _row(key: str, label: str, measured: tuple[list[float], float], target_ms: float | None, note: str = "") -> dict:
    timings, cpu = measured
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    row = {
        "key": key,
        "label": label,
        "wall_s": median,
        "p90_s": timings[min(len(timings) - 1, int(len(timings) * 0.90))],
        "note": f"p95 {p95 * 1000:.1f} ms, Python CPU {cpu * 1000:.1f} ms a request, {len(timings)} requests"
        + (f"; {note}" if note else ""),
        "target": f"p50 <= {target_ms:.0f} ms" if target_ms else "reference",
        "met": ("met" if median * 1000 <= target_ms else "missed") if target_ms else "-",
    }
    return row


def measure(seconds: float = SECONDS, warmup: float = WARMUP) -> list[dict]:
    from django.test import override_settings

    # The API's per-client rate limit (20/s by default) would answer 429s: the bench measures the list itself.
    with override_settings(HOTLINE_API_RATE="1000000/s"):
        return _measure(seconds, warmup)


def _measure(seconds: float, warmup: float) -> list[dict]:
    try:
        from alerts.models import ClusterAlert
        from alerts.selectors import open_alerts_by_kind_and_age
    except ImportError:
        return [{"key": "alert_api_list", "label": "Cluster alerts: staff API list", "met": "not built yet"}]
    from django.test import Client

    from bench import common
    from org.models import User
    from tickets.models import Ticket

    chief = User.objects.filter(username=common.SECTION_CHIEF).first()
    if chief is None:
        return [{"key": "alert_api_list", "label": "Cluster alerts: staff API list", "met": "no bench_chief"}]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(chief)
    tickets = Ticket.objects.count()
    alerts = ClusterAlert.objects.filter(bureau_id=chief.unit.bureau_id).count()
    size = f"{tickets:,} tickets, {alerts:,} alerts"
    rows = []
    for key, label, path, target in (
        # the floor on this machine now: a staff API list of the same shape (3 queries, 50 rows), no alerts
        ("alert_api_reference", "Reference: staff API work order list (first 50)", "/api/v1/staff/tickets/", None),
        (
            "alert_api_list",
            "Cluster alerts: staff API list (first 50, open first)",
            "/api/v1/staff/alerts/",
            LIST_P50_MS,
        ),
        (
            "alert_api_list_filtered",
            "Cluster alerts: staff API list (open, same text)",
            "/api/v1/staff/alerts/?status=open&kind=template",
            LIST_P50_MS,
        ),
    ):
        status = client.get(path).status_code
        if status != 200:
            rows.append({"key": key, "label": label, "met": f"ERROR {status}"})
            continue
        rows.append(_row(key, label, _timed(lambda p=path: client.get(p), seconds, warmup), target, size))
    bureau_id = chief.unit.bureau_id
    rows.append(
        _row(
            "alert_panel",
            "Cluster alerts: open alerts by kind and age (the dashboard's panel, one query)",
            _timed(lambda: open_alerts_by_kind_and_age(bureau_id), seconds, warmup),
            PANEL_P50_MS,
            size,
        )
    )
    return rows


def measure_with_detection(seconds: float = SECONDS, warmup: float = WARMUP) -> list[dict]:
    """These figures and the detection per new work order (bench/run.py's measure_alert_detection: the cluster keys
    and the near-identical texts of the 300 latest, as if each had just arrived), for a run of this module alone."""
    from bench.run import measure_alert_detection

    return measure(seconds, warmup) + measure_alert_detection()


if __name__ == "__main__":  # python -m bench.feature_alerts --database hotline_bench: these figures alone
    from bench import common

    raise SystemExit(common.feature_main(measure_with_detection, __doc__))
