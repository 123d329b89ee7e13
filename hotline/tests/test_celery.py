import time
from pathlib import Path

import pytest
from django.conf import settings

from core.models import Heartbeat
from core.testing import need_redis, start_celery_worker, stop_process
from hotline.celery import app, beat_schedule


def test_every_scheduled_name_is_a_registered_task():
    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in beat_schedule(60).values()}

    assert scheduled - set(app.tasks) == set()


def test_installed_schedule_is_the_one_in_code():
    app.loader.import_default_modules()

    assert app.conf.beat_schedule == beat_schedule(settings.HOTLINE_HEARTBEAT_SECONDS)


def _run_worker_with_beat_until_heartbeat(broker_url: str, var_dir: Path) -> Heartbeat:
    process, log_path = start_celery_worker(var_dir, broker_url=broker_url, env={"HOTLINE_HEARTBEAT_SECONDS": "1"})
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
        stop_process(process)
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
