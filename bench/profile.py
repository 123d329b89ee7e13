"""Where one request's time goes, in-process: SQL against Python, per endpoint of bench/run.py.

    python bench/profile.py                          # every endpoint, 30 requests each, on hotline_bench
    python bench/profile.py my_work ticket_page -n 50
    python bench/profile.py ticket_page --cprofile 25  # and the 25 most expensive functions (cumulative)
    python bench/profile.py --sql ticket_page          # and each query with its time

No server and no network: Django's test client as the bench's user, on the bench database. For each
endpoint the median wall time, the process CPU time, the number of queries and the time spent waiting
for them (an execute_wrapper around every query). Wall minus SQL is what Python costs; that is the figure
this tool exists for. The harness (bench/run.py) stays the measure of record: this is for finding causes.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and this module would shadow the standard
# library's `profile`, which cProfile imports: drop the folder, add the project.
if __package__ in (None, ""):
    HERE = str(Path(__file__).resolve().parent)
    sys.path[:] = [entry for entry in sys.path if entry not in ("", HERE)]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import cProfile  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from bench import common  # noqa: E402


class QueryTimer:
    """An execute_wrapper that adds up the time of every query (and keeps them when asked)."""

    def __init__(self, keep: bool = False):
        self.keep = keep
        self.reset()

    def reset(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.count += 1
            self.seconds += spent
            if self.keep:
                self.queries.append((spent, sql))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("keys", nargs="*", help="endpoint keys of bench/run.py (default: all)")
    parser.add_argument("--database", default=common.FULL_DATABASE)
    parser.add_argument("-n", type=int, default=30, help="requests per endpoint (after two warm-ups)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="K", help="print the K costliest functions")
    parser.add_argument("--sql", action="store_true", help="print each query of the last request with its time")
    options = parser.parse_args(argv)

    url = common.bench_database_url(options.database)
    # As in bench/run.py's server: the per-client rate limit would answer 429 after 20 requests a second.
    os.environ["HOTLINE_API_RATE"] = "1000000/s"
    common.database_ensure(url)
    common.django_setup(url)

    from django.db import connection
    from django.test import Client

    from bench import run
    from org.models import User

    ids = run.pick_ids()
    token = run.integration_token()
    endpoints = [e for e in run.ENDPOINTS if not options.keys or e.key in options.keys]
    timer = QueryTimer(keep=options.sql)
    print(f"{'endpoint':<18} {'wall ms':>8} {'cpu ms':>7} {'sql ms':>7} {'python ms':>9} {'queries':>7}")
    for endpoint in endpoints:
        path = run.endpoint_path(endpoint, ids)
        if path is None:
            print(f"{endpoint.key:<18} not built yet")
            continue
        client = Client(HTTP_HOST=run.HOST)
        headers = {}
        if endpoint.user:
            client.force_login(User.objects.get(username=endpoint.user))
        else:
            headers["HTTP_AUTHORIZATION"] = f"Token {token}"

        def once(endpoint=endpoint, path=path, client=client, headers=headers):
            if endpoint.method == "POST":
                body = (endpoint.body or run.intake_body)().replace("{n}", f"p{time.time_ns()}")
                return client.post(path, data=body, content_type="application/json", **headers)
            return client.get(path, **headers)

        for _ in range(2):
            once()
        walls, cpus, sqls, counts = [], [], [], []
        profiler = cProfile.Profile() if options.cprofile else None
        with connection.execute_wrapper(timer):
            for _ in range(options.n):
                timer.reset()
                started, started_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                response = once()
                if profiler:
                    profiler.disable()
                walls.append(time.perf_counter() - started)
                cpus.append(time.process_time() - started_cpu)
                sqls.append(timer.seconds)
                counts.append(timer.count)
        if response.status_code >= 400:
            print(f"{endpoint.key:<18} answered {response.status_code}")
            continue
        wall, cpu, sql = (statistics.median(v) * 1000 for v in (walls, cpus, sqls))
        print(f"{endpoint.key:<18} {wall:8.1f} {cpu:7.1f} {sql:7.1f} {wall - sql:9.1f} {max(counts):7d}")
        if options.sql:
            for spent, sql_text in sorted(timer.queries, reverse=True):
                print(f"    {spent * 1000:6.2f} ms  {sql_text[:220]}")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(options.cprofile)


if __name__ == "__main__":
    main()
