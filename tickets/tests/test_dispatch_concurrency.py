"""Two staff API dispatches of one work order at once, without expected_version, on PostgreSQL's row locks."""

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from core.testing import IN_CI, need
from tickets.choices import Status
from tickets.models import StatusUpdate, Ticket
from tickets.tests.factories import make_ticket

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES and not IN_CI, reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def dispatch_at_once(user, ticket, unit_codes: list[str]) -> list[int]:
    barrier = threading.Barrier(len(unit_codes))
    codes: list[int] = []
    lock = threading.Lock()

    def send(unit_code):
        from django.db import connections

        api = APIClient()
        api.force_login(user)
        try:
            barrier.wait(timeout=30)
            response = api.post(f"/api/v1/staff/tickets/{ticket.pk}/dispatch/", {"unit": unit_code}, format="json")
            with lock:
                codes.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(code,)) for code in unit_codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(codes)


def test_two_concurrent_dispatches_to_one_unit_write_one_dispatched_event(org):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    ticket = make_ticket(org)

    codes = dispatch_at_once(org.dispatcher, ticket, [org.office_a.code, org.office_a.code])

    ticket = Ticket.objects.get(pk=ticket.pk)
    assert codes == [200, 200]
    assert list(ticket.events.order_by("pk").values_list("code", flat=True)) == ["received", "dispatched"]
    assert (ticket.status, ticket.unit_id) == (Status.DISPATCHED, org.office_a.pk)
    assert StatusUpdate.objects.filter(ticket=ticket, status=Status.DISPATCHED).count() == 1


def test_two_concurrent_dispatches_to_two_units_record_the_second_as_a_redispatch(org):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    ticket = make_ticket(org)

    codes = dispatch_at_once(org.dispatcher, ticket, [org.office_a.code, org.office_b.code])

    ticket = Ticket.objects.get(pk=ticket.pk)
    first, second = ticket.events.filter(code__in=["dispatched", "redispatched"]).order_by("pk")
    assert codes == [200, 200]
    assert (first.code, second.code) == ("dispatched", "redispatched")
    assert (second.data["from_unit"], second.data["unit"]) == (first.data["unit"], ticket.unit.code)
