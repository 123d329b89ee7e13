import pytest

from bench import run
from tickets.models import Business, Ticket
from tickets.tests.factories import make_ticket


@pytest.mark.django_db
def test_the_work_orders_posted_by_the_intake_figure_are_removed_with_their_count(org):
    business = Business.objects.create(name="某某教育科技有限公司", ticket_count=3)
    kept = make_ticket(org, external_id="SH12345-20261128-0000001")
    posted = [make_ticket(org, external_id=f"BENCH-1-{n}") for n in range(2)]
    Ticket.objects.filter(pk__in=[t.pk for t in posted]).update(business=business)

    assert run.posted_tickets_remove() == 2

    assert list(Ticket.objects.values_list("pk", flat=True)) == [kept.pk]
    business.refresh_from_db()
    assert business.ticket_count == 1
    assert run.posted_tickets_remove() == 0
