"""A worker killed with SIGKILL in the middle of a delivery: what it had claimed is sent by another worker once the
claim's lease (short here) has run out, and nothing is sent twice. Real Redis and real workers, started here."""

import signal
import time

import pytest
from django.utils import timezone

from core.testing import kill_process_group, start_celery_worker, start_redis, stop_process
from hotline.celery import app
from notifications.models import Notification
from notifications.services import notifications_store
from notifications.tests.migrated_data import reload_migrated_data

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _migrated_data(transactional_db):
    reload_migrated_data()


@pytest.fixture
def own_redis(tmp_path):
    process, port = start_redis(tmp_path)
    broker = f"redis://127.0.0.1:{port}/0"
    saved = app.conf.broker_url
    app.conf.broker_url = broker
    yield broker
    app.conf.broker_url = saved
    stop_process(process)


def start_worker(directory, broker: str, sms_file, *, hang_after: int = 0):
    directory.mkdir()
    return start_celery_worker(
        directory,
        broker_url=broker,
        env={
            "NOTIFICATIONS_SMS_BACKEND": "notifications.tests.sms_backends.FileSMSBackend",
            "HOTLINE_TEST_SMS_FILE": str(sms_file),
            "HOTLINE_TEST_SMS_HANG_AFTER": str(hang_after or ""),
            "NOTIFICATIONS_CLAIM_LEASE_SECONDS": "3",
            "HOTLINE_NOTIFICATION_RETRY_SECONDS": "1",
            "NOTIFICATIONS_PENDING_GRACE_SECONDS": "0",
            "HOTLINE_ESCALATION_SECONDS": "3600",
        },
    )


def wait_until(condition, *, seconds: float, process, log_path, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"{what}; worker log:\n" + log_path.read_text(errors="replace")[-4000:])


def sent_lines(sms_file) -> list[str]:
    return sms_file.read_text().splitlines() if sms_file.exists() else []


def test_worker_killed_mid_delivery_leaves_nothing_unsent_after_the_lease_and_nothing_sent_twice(
    org, own_redis, tmp_path
):
    org.handler.phone = "13900000001"
    org.handler.save()
    sms_file = tmp_path / "sms.txt"
    dying, dying_log = start_worker(tmp_path / "dying", own_redis, sms_file, hang_after=3)
    now = timezone.now()
    # One task with ten ids (as a sweep or an escalation stores them): the worker claims all ten at once.
    rows = notifications_store(
        [
            Notification(
                recipient=org.handler,
                code="ticket.urged",
                data={"external_id": f"SH-KILL-{n}", "message": "请尽快办理"},
                created_at=now,
            )
            for n in range(10)
        ]
    )
    survivor = None
    try:
        wait_until(
            lambda: len(sent_lines(sms_file)) == 3,
            seconds=60,
            process=dying,
            log_path=dying_log,
            what="the first worker did not send three texts",
        )
        time.sleep(0.5)  # it is now hanging on the fourth, with the other six claimed as well
        claimed_unsent = Notification.objects.filter(sent_at__isnull=True, claimed_at__isnull=False).count()
        kill_process_group(dying, signal.SIGKILL)  # the worker and its beat child: nothing outlives the test
        dying.wait(timeout=10)

        survivor, survivor_log = start_worker(tmp_path / "survivor", own_redis, sms_file)
        wait_until(
            lambda: not Notification.objects.filter(pk__in=[r.pk for r in rows], sent_at__isnull=True).exists(),
            seconds=60,
            process=survivor,
            log_path=survivor_log,
            what="what the killed worker had claimed was not sent",
        )
        time.sleep(2)  # two more sweeps: anything they sent again would show
    finally:
        if survivor is not None:
            stop_process(survivor)
        if dying.poll() is None:
            stop_process(dying)

    lines = sent_lines(sms_file)
    assert claimed_unsent == 7
    assert len(lines) == 10
    assert sorted(line.split("SH-KILL-")[1][0] for line in lines) == [str(n) for n in range(10)]
