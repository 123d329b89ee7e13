"""A real Celery worker with beat on a real Redis (our own redis-server, so the test can stop it)."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from core.testing import need, port_open, start_celery_worker, stop_process
from hotline.celery import app
from notifications.models import Notification
from notifications.services import notification_send
from notifications.tests.migrated_data import reload_migrated_data
from tickets.choices import Kind
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

PORT = 6390
BROKER = f"redis://127.0.0.1:{PORT}/0"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _migrated_data(transactional_db):
    reload_migrated_data()


def start_redis(directory: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        if port_open("127.0.0.1", PORT):
            return process
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"redis-server did not start on port {PORT}")


def start_worker(var_dir: Path) -> tuple[subprocess.Popen, Path]:
    return start_celery_worker(
        var_dir,
        broker_url=BROKER,
        env={
            "HOTLINE_ESCALATION_SECONDS": "1",
            "HOTLINE_NOTIFICATION_RETRY_SECONDS": "1",
            "NOTIFICATIONS_PENDING_GRACE_SECONDS": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(var_dir / "mail"),
        },
    )


def wait_until(condition, *, seconds: float, process: subprocess.Popen, log_path: Path, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if process.poll() is not None:
            break
        time.sleep(0.5)
    pytest.fail(f"{what}; worker log:\n" + log_path.read_text(errors="replace")[-4000:])


@pytest.fixture
def own_redis(tmp_path):
    need(shutil.which("redis-server") is not None, "redis-server is not installed (apt-get install redis-server)")
    need(not port_open("127.0.0.1", PORT), f"port {PORT} is taken")
    saved = app.conf.broker_url
    app.conf.broker_url = BROKER
    redis = {"process": start_redis(tmp_path)}
    yield redis
    app.conf.broker_url = saved
    stop_process(redis["process"])


@pytest.fixture
def reachable_handler(org):
    org.handler.email, org.handler.phone = "handler@example.gov.cn", "13900000001"
    org.handler.save()
    return org.handler


def test_worker_and_beat_deliver_a_reminder_for_a_ticket_that_becomes_due(org, reachable_handler, own_redis, tmp_path):
    # Received now: first contact is due at the end of the next working day, inside the tier-1 window.
    ticket = make_ticket(org, kind=Kind.COMPLAINT, received_at=timezone.now())
    Ticket.objects.filter(pk=ticket.pk).update(unit=org.office_a, handler=reachable_handler)
    worker, log_path = start_worker(tmp_path)
    try:
        sent = wait_until(
            lambda: Notification.objects.filter(recipient=reachable_handler, sent_at__isnull=False).first(),
            seconds=90,
            process=worker,
            log_path=log_path,
            what="no reminder was delivered",
        )
    finally:
        stop_process(worker)

    mails = "".join(path.read_text() for path in (tmp_path / "mail").glob("*.log"))
    # tier 1 on most days, tier 2 when only the due day is left (e.g. received on a weekend)
    assert (sent.code[:-1], sent.channels) == ("escalation.tier", ["email", "sms"])
    assert ticket.external_id in mails
    # The worker's log masks the number (core.logging): the SMS went out, the log line says to whom, masked.
    assert "SMS to 139****0001" in log_path.read_text(errors="replace")


def test_with_redis_stopped_a_ticket_is_created_fast_and_its_notifications_go_out_later(
    org, reachable_handler, own_redis, tmp_path
):
    worker, log_path = start_worker(tmp_path)
    try:
        stop_process(own_redis["process"])

        started = time.monotonic()
        with transaction.atomic():  # what a web request does: create, notify, commit, publish
            ticket = make_ticket(org, kind=Kind.COMPLAINT, received_at=timezone.now())
            notification_send(
                [reachable_handler],
                code="ticket.urged",
                data={"external_id": ticket.external_id, "message": "请尽快办理"},
                ticket=ticket,
            )
        elapsed = time.monotonic() - started
        pending = Notification.objects.get(ticket=ticket)

        own_redis["process"] = start_redis(tmp_path)
        delivered = wait_until(
            lambda: Notification.objects.filter(pk=pending.pk, sent_at__isnull=False).first(),
            seconds=120,
            process=worker,
            log_path=log_path,
            what="the pending notification was not sent after Redis came back",
        )
    finally:
        stop_process(worker)

    assert elapsed < 2
    assert (pending.sent_at, delivered.channels) == (None, ["email", "sms"])
