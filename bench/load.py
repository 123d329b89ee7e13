"""One load client: a keep-alive HTTP connection that repeats one request for a while and times each answer.

Run as its own process by bench/run.py (so the client never shares an interpreter with the server):

    python -m bench.load < spec.json > result.json

spec: {"host", "port", "method", "path", "headers", "body" (a template or null), "seconds", "start_at"}.
A body template may hold {n}, replaced by a number unique to this client and request (so every
intake POST creates a new work order). The result lists the latencies in milliseconds and counts
the status codes.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import time


def request_once(connection: http.client.HTTPConnection, method: str, path: str, body, headers) -> int:
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    if response.will_close:
        connection.close()  # the next request reconnects (gunicorn's sync workers close after each answer)
    return response.status


def run(spec: dict) -> dict:
    host, port = spec["host"], spec["port"]
    method, path = spec["method"], spec["path"]
    headers = dict(spec.get("headers") or {})
    template = spec.get("body")
    seconds = float(spec["seconds"])
    start_at = float(spec.get("start_at") or 0)
    prefix = f"{os.getpid()}-{int(time.time() * 1000) % 10**8}"
    connection = http.client.HTTPConnection(host, port, timeout=60)
    now = time.time()
    if start_at > now:
        time.sleep(start_at - now)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    number = 0
    began = time.perf_counter()
    deadline = began + seconds
    while True:
        number += 1
        body = template.replace("{n}", f"{prefix}-{number}").encode() if template else None
        started = time.perf_counter()
        try:
            status = request_once(connection, method, path, body, headers)
        except (OSError, http.client.HTTPException):
            connection.close()
            status = 0
        finished = time.perf_counter()
        latencies.append((finished - started) * 1000)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if finished >= deadline:
            break
    connection.close()
    return {"latencies_ms": latencies, "statuses": statuses, "wall_s": time.perf_counter() - began}


def main() -> int:
    spec = json.load(sys.stdin)
    json.dump(run(spec), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
