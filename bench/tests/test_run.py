import pytest

from bench import run
from tickets.models import Business, Ticket
from tickets.tests.factories import make_ticket


@pytest.mark.django_db
def test_the_work_orders_posted_by_the_intake_figure_are_removed_with_their_count(org):
    business = Business.objects.create(name="另一家培训机构", ticket_count=3)  # not the tickets' own respondent
    kept = make_ticket(org, external_id="SH12345-20261128-0000001")
    posted = [make_ticket(org, external_id=f"BENCH-1-{n}") for n in range(2)]
    Ticket.objects.filter(pk__in=[t.pk for t in posted]).update(business=business)

    assert run.posted_tickets_remove() == 2

    assert list(Ticket.objects.values_list("pk", flat=True)) == [kept.pk]
    business.refresh_from_db()
    assert business.ticket_count == 1
    assert run.posted_tickets_remove() == 0


@pytest.mark.django_db
def test_alert_detection_figure_checks_the_latest_work_orders_and_leaves_no_trace(org):
    from alerts.models import AlertTicket, ClusterAlert, TicketSignature
    from alerts.services import alert_detect_for_ticket

    tickets = [make_ticket(org, external_id=f"SH12345-ALERT-{n}") for n in range(6)]
    for ticket in tickets:
        alert_detect_for_ticket(ticket.pk)
    before = (TicketSignature.objects.count(), AlertTicket.objects.count(), ClusterAlert.objects.count())

    [row] = run.measure_alert_detection(count=4)

    assert (row["key"], row["met"]) == (
        "alert_detection",
        "met" if row["wall_s"] * 1000 < run.ALERT_DETECTION_MS else "missed",
    )
    assert "4 latest" in row["label"]
    assert (TicketSignature.objects.count(), AlertTicket.objects.count(), ClusterAlert.objects.count()) == before
