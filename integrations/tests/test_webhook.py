import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.admin.sites import site

from integrations.admin import UndeliveredUpdateAdmin
from integrations.models import UndeliveredUpdate
from integrations.services import updates_deliver_due, updates_retry
from integrations.tasks import deliver_updates
from tickets import services
from tickets.choices import DeliveryStatus
from tickets.models import StatusUpdate
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

SECRET = "shared-secret"
# The sweeps below run "a day after now": the updates are made at the real time, so a fixed date here
# would stop being later than them the day after it (it did, at 2026-11-29 02:00 UTC).
T0 = dt.datetime.now(SHANGHAI).replace(microsecond=0)


class Platform:
    """A local stand-in for the city platform: records what it receives, answers the codes it is told."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                platform.received.append((dict(self.headers), body))
                code = platform.answers.pop(0) if platform.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/updates"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def platform_server(settings):
    platform = Platform()
    platform.thread.start()
    settings.HOTLINE_WEBHOOK_URL = platform.url
    settings.HOTLINE_WEBHOOK_SECRET = SECRET
    settings.HOTLINE_WEBHOOK_MAX_ATTEMPTS = 3
    settings.HOTLINE_WEBHOOK_BACKOFF_SECONDS = 30
    settings.HOTLINE_WEBHOOK_TIMEOUT_SECONDS = 2
    yield platform
    platform.server.shutdown()
    platform.server.server_close()


def test_webhook_posts_signed_update(platform_server, org):
    ticket = make_ticket(org)
    update = StatusUpdate.objects.get()

    counts = updates_deliver_due(now=update.next_attempt_at)

    headers, body = platform_server.received[0]
    assert counts == {"delivered": 1, "failed": 0}
    assert headers["X-Hotline-Signature"] == hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert json.loads(body) == {
        "update_id": update.pk,
        "source": "12345",
        "external_id": ticket.external_id,
        "status": "received",
        "updated_at": json.loads(body)["updated_at"],
    }
    assert json.loads(body)["updated_at"].endswith("+08:00")
    update.refresh_from_db()
    assert (update.delivery_status, update.attempts) == (DeliveryStatus.DELIVERED, 1)


def test_webhook_sends_in_order(platform_server, org):
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    updates_deliver_due(now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))

    assert [b["status"] for b in platform_server.bodies()] == ["received", "dispatched"]


def test_webhook_retries_after_failure_with_backoff(platform_server, org):
    make_ticket(org)
    update = StatusUpdate.objects.get()
    platform_server.answers = [500]

    first = updates_deliver_due(now=T0 + dt.timedelta(days=1))
    update.refresh_from_db()
    too_early = updates_deliver_due(now=T0 + dt.timedelta(days=1, seconds=29))
    second = updates_deliver_due(now=T0 + dt.timedelta(days=1, seconds=30))

    assert first == {"delivered": 0, "failed": 1}
    assert update.next_attempt_at == T0 + dt.timedelta(days=1, seconds=30)
    assert "500" in update.last_error
    assert too_early == {"delivered": 0, "failed": 0}
    assert second == {"delivered": 1, "failed": 0}
    assert len(platform_server.received) == 2


def test_webhook_gives_up_after_last_attempt_then_admin_retries(platform_server, org):
    make_ticket(org)
    platform_server.answers = [503, 503, 503]
    now = T0 + dt.timedelta(days=1)

    for delay in (0, 30, 90):  # backoff 30 s, then 60 s
        updates_deliver_due(now=now + dt.timedelta(seconds=delay))

    update = StatusUpdate.objects.get()
    assert (update.delivery_status, update.attempts, update.next_attempt_at) == (DeliveryStatus.UNDELIVERED, 3, None)
    assert list(UndeliveredUpdate.objects.filter(delivery_status="undelivered")) == [update]
    assert updates_deliver_due(now=now + dt.timedelta(days=1)) == {"delivered": 0, "failed": 0}

    assert updates_retry(update_ids=[update.pk]) == 1
    update.refresh_from_db()
    assert updates_deliver_due(now=update.next_attempt_at) == {"delivered": 1, "failed": 0}


def test_webhook_unreachable_platform_counts_as_failure(settings, org):
    settings.HOTLINE_WEBHOOK_URL = "http://127.0.0.1:9/nothing"
    settings.HOTLINE_WEBHOOK_SECRET = SECRET
    settings.HOTLINE_WEBHOOK_TIMEOUT_SECONDS = 1
    make_ticket(org)

    counts = updates_deliver_due(now=T0 + dt.timedelta(days=1))

    update = StatusUpdate.objects.get()
    assert counts == {"delivered": 0, "failed": 1}
    assert (update.delivery_status, update.attempts) == (DeliveryStatus.PENDING, 1)


def test_webhook_not_configured_sends_nothing(settings, org):
    settings.HOTLINE_WEBHOOK_URL = ""
    make_ticket(org)

    assert deliver_updates() == {"delivered": 0, "failed": 0}
    assert StatusUpdate.objects.get().delivery_status == DeliveryStatus.PENDING


def test_webhook_skips_walk_in_orders(platform_server, org):
    make_ticket(org, source="walk_in")

    assert updates_deliver_due(now=T0 + dt.timedelta(days=1)) == {"delivered": 0, "failed": 0}
    assert platform_server.received == []


def test_admin_undelivered_list_and_retry_action(platform_server, org, client):
    make_ticket(org)
    make_ticket(org)
    StatusUpdate.objects.filter(pk=StatusUpdate.objects.first().pk).update(
        delivery_status=DeliveryStatus.UNDELIVERED, attempts=3, next_attempt_at=None
    )
    client.force_login(org.admin)

    listing = client.get("/admin/integrations/undeliveredupdate/")
    pk = StatusUpdate.objects.filter(delivery_status=DeliveryStatus.UNDELIVERED).get().pk
    response = client.post(
        "/admin/integrations/undeliveredupdate/", {"action": "retry", "_selected_action": [pk]}, follow=True
    )

    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert response.status_code == 200
    assert StatusUpdate.objects.get(pk=pk).delivery_status == DeliveryStatus.PENDING
    assert isinstance(site._registry[UndeliveredUpdate], UndeliveredUpdateAdmin)


def test_status_change_never_waits_for_the_platform(settings, org):
    # A dead platform: the request that changes status does not touch the network at all.
    settings.HOTLINE_WEBHOOK_URL = "http://127.0.0.1:9/nothing"
    settings.HOTLINE_WEBHOOK_SECRET = SECRET
    ticket = make_ticket(org)

    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    assert list(StatusUpdate.objects.values_list("attempts", flat=True)) == [0, 0]
