"""The embedded default under concurrent intake: gunicorn (2 workers x 4 threads) on a SQLite file database.

The test makes its own database (migrate, one bureau, one integration client) and its own server on a free
port, whatever DATABASE_URL the suite runs on: what is tested is SQLite's locking, not the suite's database.
"""

import copy
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest
from django.conf import settings

from core.testing import free_port, need, port_open, stop_process
from integrations.tests.conftest import PAYLOAD

pytestmark = pytest.mark.services

MAKE_CLIENT = (
    "from org.tests.factories import make_org; make_org(); "
    "from integrations.services import integration_client_create; "
    "print(integration_client_create(name='12345 platform')[1])"
)


def run_manage(environment: dict, *arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def live_sqlite(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("live-sqlite")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    need(gunicorn.exists(), "gunicorn is not installed in the virtualenv")
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hotline.sqlite3'}",
        "HOTLINE_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": "filesystem://",
        "CACHE_URL": "",
        "HOTLINE_API_RATE": "100000/s",
        "SECRET_KEY": "live-sqlite-test-key-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
    }
    run_manage(environment, "migrate", "--noinput", "-v", "0")
    key = run_manage(environment, "shell", "-c", MAKE_CLIENT).strip().splitlines()[-1]
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(gunicorn), "hotline.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--threads", "4", "--timeout", "60"],
            env=environment,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        for _ in range(150):
            if port_open("127.0.0.1", port) or server.poll() is not None:
                break
            time.sleep(0.1)
        if not port_open("127.0.0.1", port):
            pytest.fail("gunicorn did not start:\n" + log_path.read_text(errors="replace")[-3000:])
        yield {"url": f"http://127.0.0.1:{port}/api/v1/hotline/tickets/", "key": key, "log": log_path}
    finally:
        stop_process(server)


def post(live: dict, payload: dict) -> int:
    request = urllib.request.Request(
        live["url"],
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {live['key']}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own local server  # nosec B310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_sqlite_twenty_concurrent_duplicate_intakes_answer_one_201_and_nineteen_200(live_sqlite):
    barrier = Barrier(20)

    def send(_):
        barrier.wait(timeout=30)
        return post(live_sqlite, copy.deepcopy(PAYLOAD))

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = sorted(pool.map(send, range(20)))

    assert codes == [200] * 19 + [201], live_sqlite["log"].read_text(errors="replace")[-3000:]


def test_sqlite_two_hundred_distinct_intakes_from_eight_threads_all_answer_201(live_sqlite):
    payloads = [PAYLOAD | {"external_id": f"SH12345-20261129-{n:06d}"} for n in range(200)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(lambda payload: post(live_sqlite, payload), payloads))

    assert codes == [201] * 200, live_sqlite["log"].read_text(errors="replace")[-3000:]
