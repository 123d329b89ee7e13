import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection
from rest_framework.test import APIClient

from core.testing import IN_CI, need
from tickets.models import StatusUpdate, Ticket

URL = "/api/v1/hotline/tickets/"
ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
# Decided before the database fixtures run: on SQLite the test is pointless (it serialises writers).
# In CI the test runs and `need` fails it.
pytestmark = pytest.mark.skipif(not ON_POSTGRES and not IN_CI, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")


@pytest.mark.postgres
# No serialized_rollback: it clashes with content types once another transactional test has flushed; this test
# needs no migrated rows (no category, rules or roles), so it runs the same on a flushed database.
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_identical_posts_create_exactly_one_ticket(org, integration, payload, settings):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings.HOTLINE_API_RATE = "1000/s"
    key = integration[1]
    barrier = threading.Barrier(50)
    answers: list[tuple[int, int | None]] = []
    lock = threading.Lock()

    def send():
        from django.db import connections

        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            barrier.wait(timeout=30)
            response = api.post(URL, payload, format="json")
            with lock:
                answers.append((response.status_code, response.json().get("id")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    ticket = Ticket.objects.get()
    assert len(answers) == 50
    assert sorted(code for code, _id in answers) == [200] * 49 + [201]
    assert {ticket_id for _code, ticket_id in answers} == {ticket.pk}
    assert StatusUpdate.objects.filter(ticket=ticket).count() == 1
