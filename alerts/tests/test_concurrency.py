"""Detection at once in two workers, and the check after intake racing the sweep, on PostgreSQL's row locks: one alert,
everyone told once (issue 17: "one alert only when the per-ticket check and the nightly sweep both run")."""

import threading

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections

from alerts.choices import AlertKind
from alerts.models import AlertTicket, ClusterAlert
from alerts.services import alert_detect_for_ticket, alert_detect_unchecked, alert_units_follow
from alerts.tests.factories import START, days, make_ticket
from core.testing import IN_CI, need
from notifications.models import Notification
from tickets.models import Ticket

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES and not IN_CI, reason="needs PostgreSQL (DATABASE_URL=postgres://...)"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
PHONE = "13900001234"


def at_once(*calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=30)
            call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def unchecked(org, **fields):
    """A work order whose check after intake has not run yet (the eager hand-over is undone)."""
    ticket = make_ticket(org, **fields)
    from alerts.models import TicketSignature

    AlertTicket.objects.filter(ticket=ticket).delete()
    TicketSignature.objects.filter(ticket=ticket).delete()
    return ticket


@pytest.fixture
def four(org):
    """Four work orders of one phone checked: the fifth opens the alert."""
    for n in range(4):
        alert_detect_for_ticket(make_ticket(org, phone=PHONE, received_at=START + days(n)).pk)
    assert not ClusterAlert.objects.exists()


def test_two_workers_checking_the_fifth_and_sixth_at_once_open_one_alert(org, four):
    need(connection.vendor == "postgresql", "needs PostgreSQL")
    fifth = unchecked(org, phone=PHONE, received_at=START + days(4))
    sixth = unchecked(org, phone=PHONE, received_at=START + days(5))

    at_once(lambda: alert_detect_for_ticket(fifth.pk), lambda: alert_detect_for_ticket(sixth.pk))

    alert = ClusterAlert.objects.get(kind=AlertKind.COMPLAINANT)
    assert AlertTicket.objects.filter(alert=alert).count() == alert.ticket_count == 6
    opened = Notification.objects.filter(code="alert.opened")
    assert opened.count() == opened.values("recipient").distinct().count() > 0  # each told once


def test_the_check_after_intake_and_the_sweep_at_once_open_one_alert(org, four):
    need(connection.vendor == "postgresql", "needs PostgreSQL")
    fifth = unchecked(org, phone=PHONE, received_at=START + days(4))

    at_once(lambda: alert_detect_for_ticket(fifth.pk), alert_detect_unchecked)

    alert = ClusterAlert.objects.get(kind=AlertKind.COMPLAINANT)
    assert AlertTicket.objects.filter(alert=alert).count() == alert.ticket_count == 5
    opened = Notification.objects.filter(code="alert.opened")
    assert opened.count() == opened.values("recipient").distinct().count() > 0


def test_two_claimant_checks_at_once_open_one_alert(org):
    need(connection.vendor == "postgresql", "needs PostgreSQL")
    for n, name in enumerate(["甲超市", "乙超市"]):
        alert_detect_for_ticket(make_ticket(org, phone=PHONE, business=name, received_at=START + days(n)).pk)
    third = unchecked(org, phone=PHONE, business="丙超市", received_at=START + days(2))
    fourth = unchecked(org, phone=PHONE, business="丁超市", received_at=START + days(3))

    at_once(lambda: alert_detect_for_ticket(third.pk), lambda: alert_detect_for_ticket(fourth.pk))

    alert = ClusterAlert.objects.get(kind=AlertKind.CLAIMANT)
    assert AlertTicket.objects.filter(alert=alert).count() == alert.ticket_count == 4


def test_two_unit_follow_ups_at_once_tell_the_unit_once(org, four):
    need(connection.vendor == "postgresql", "needs PostgreSQL")
    alert_detect_for_ticket(make_ticket(org, phone=PHONE, received_at=START + days(4)).pk)
    Ticket.objects.update(unit=org.office_b)

    at_once(alert_units_follow, alert_units_follow)

    joined = Notification.objects.filter(code="alert.ticket_joined")
    assert [n.recipient_id for n in joined] == [org.deputy_b.pk]
    assert joined.get().data["count"] == 5
