import threading

import pytest
from django.db import connection, connections

from reviews.models import Callback, SpecialSupervision
from reviews.services import callback_record
from reviews.tests.factories import completed_ticket
from tickets.choices import Status


@pytest.mark.django_db(transaction=True)
def test_callback_record_concurrent_duplicates_record_once(_roles, org, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SQLite serialises writers anyway)")
    settings.MEDIA_ROOT = tmp_path
    ticket = completed_ticket(org)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def send():
        try:
            barrier.wait()
            results.append(callback_record(ticket, satisfaction="unsatisfied", comment="仍未退款")[1])
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ticket.refresh_from_db()
    assert errors == []
    assert sorted(results) == [False, False, False, True]
    assert (Callback.objects.count(), SpecialSupervision.objects.count(), ticket.status) == (1, 1, Status.REOPENED)
