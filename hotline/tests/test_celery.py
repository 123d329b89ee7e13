import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from hotline.celery import app, beat_schedule
from hotline.models import Heartbeat
from hotline.testing import need_redis


def test_every_scheduled_name_is_a_registered_task():
    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in beat_schedule(60).values()}

    assert scheduled - set(app.tasks) == set()


def test_installed_schedule_is_the_one_in_code():
    app.loader.import_default_modules()

    assert app.conf.beat_schedule == beat_schedule(settings.HOTLINE_HEARTBEAT_SECONDS)


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _run_worker_with_beat_until_heartbeat(broker_url: str, var_dir: Path) -> Heartbeat:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url,
        "HOTLINE_VAR_DIR": str(var_dir),
        "HOTLINE_HEARTBEAT_SECONDS": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "hotline",
        "worker",
        "--beat",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--schedule",
        str(var_dir / "beat-schedule"),
    ]
    log_path = var_dir / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR)
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                beat = Heartbeat.objects.filter(name="beat", run_count__gte=2).first()
                if beat is not None:
                    return beat
                if process.poll() is not None:
                    break
                time.sleep(0.5)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    pytest.fail("no periodic heartbeat ran; worker log:\n" + log_path.read_text(errors="replace")[-4000:])


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_with_beat_runs_periodic_task_on_filesystem_broker(tmp_path):
    beat = _run_worker_with_beat_until_heartbeat("filesystem://", tmp_path)

    assert beat.run_count >= 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_with_beat_runs_periodic_task_on_redis(tmp_path):
    url = need_redis("redis://127.0.0.1:6379/15")

    beat = _run_worker_with_beat_until_heartbeat(url, tmp_path)

    assert beat.run_count >= 2
