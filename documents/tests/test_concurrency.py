"""Twenty extension approvals at once on PostgreSQL: twenty forms numbered 1..20, none skipped, none twice."""

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection

from core.testing import IN_CI, need
from documents.choices import DocumentKind
from documents.models import Document
from reviews.tests.factories import handled_ticket
from tickets.choices import Clock
from tickets.services import request_decide, ticket_request_extension

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES and not IN_CI, reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

N = 20


def test_twenty_concurrent_approvals_number_their_forms_gap_free(org, settings, tmp_path):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings.MEDIA_ROOT = tmp_path
    requests = [
        ticket_request_extension(
            handled_ticket(org), actor=org.handler, clock=Clock.REPLY, working_days=5, reason="需检验检测"
        )
        for _ in range(N)
    ]
    barrier = threading.Barrier(N)
    failures = []

    def approve(request):
        from django.db import connections

        try:
            barrier.wait(timeout=60)
            request_decide(request, actor=org.reviewer, is_approved=True)
        except Exception as error:  # collected: an assertion in a thread would pass silently
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert failures == []
    forms = Document.objects.filter(kind=DocumentKind.EXTENSION_APPROVAL)
    assert sorted(forms.values_list("sequence", flat=True)) == list(range(1, N + 1))
    assert forms.values("ticket").distinct().count() == N
    assert len(set(forms.values_list("number", flat=True))) == N
