"""Issue 18, item 6: a leader's first look at the briefing shows data (the latest month with work orders)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.browser import chromium_page, screenshot, sign_in
from org.tests.factories import PASSWORD
from reports.selectors import Month, month_with_data
from reports.tests.conftest import NOW, at, ticket


@pytest.mark.django_db
def test_the_month_with_data_is_the_last_complete_month_when_it_has_work_orders(org):
    ticket(org.bureau, org.office_a, at(2026, 9, 30, 23, 0))
    assert month_with_data(org.bureau.pk, now=NOW) == Month(2026, 9)


@pytest.mark.django_db
def test_the_month_with_data_goes_back_to_the_latest_month_with_work_orders(org):
    ticket(org.bureau, org.office_a, at(2026, 6, 3))
    ticket(org.bureau, org.office_a, at(2025, 12, 3))
    assert month_with_data(org.bureau.pk, now=NOW) == Month(2026, 6)


@pytest.mark.django_db
def test_the_month_in_progress_when_only_it_has_work_orders_and_the_last_month_when_none_has(org):
    assert month_with_data(org.bureau.pk, now=NOW) == Month(2026, 9)
    ticket(org.bureau, org.office_a, at(2026, 10, 2))
    assert month_with_data(org.bureau.pk, now=NOW) == Month(2026, 10)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_briefing_opens_on_the_latest_month_with_data_and_says_so(live_server, org):

    months_ago = timezone.now() - dt.timedelta(days=100)
    ticket(org.bureau, org.office_a, months_ago)
    shown = Month.of(months_ago)
    base = live_server.url
    with chromium_page(width=1440, height=900) as page:
        sign_in(page, base, org.chief.username, PASSWORD)
        page.goto(base + reverse("reports:index"))
        assert page.locator("#id_month").input_value() == str(shown)
        assert str(shown) in page.locator("[data-testid=month-chosen]").inner_text()
        assert "有工单的最近月份" in page.locator("[data-testid=month-chosen]").inner_text()
        received = page.locator("[data-testid=briefing-table] tbody tr").last.inner_text()
        assert "1" in received
        screenshot(page, "reports-briefing-first-look")


@pytest.mark.django_db
def test_the_demo_work_orders_span_more_than_a_year(org):
    from tickets.demo import demo_seed_tickets
    from tickets.models import Ticket

    demo_seed_tickets(org.bureau, count=30)

    received = list(Ticket.objects.filter(bureau=org.bureau).values_list("received_at", flat=True))
    assert min(received) < timezone.now() - dt.timedelta(days=365)
    assert max(received) > timezone.now() - dt.timedelta(days=7)
