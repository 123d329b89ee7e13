from alerts.choices import AlertKind, AlertStatus
from alerts.demo import demo_seed_alerts
from alerts.models import AlertUnit, ClusterAlert
from org.demo import demo_seed_organisation
from tickets.models import Ticket, TicketEvent


def test_demo_has_one_alert_of_each_kind_in_each_state(db, reference_data):
    bureau, _accounts = demo_seed_organisation()

    made = demo_seed_alerts(bureau)

    pairs = sorted(ClusterAlert.objects.filter(bureau=bureau).values_list("kind", "status"))
    assert pairs == sorted((kind, status) for kind in AlertKind.values for status in AlertStatus.values)
    assert made["alerts"] == len(AlertKind.values) * len(AlertStatus.values)
    consulted = ClusterAlert.objects.filter(status__in=[AlertStatus.CONSULTED, AlertStatus.CLOSED])
    assert all(alert.reply_line for alert in consulted)
    merged = ClusterAlert.objects.filter(status=AlertStatus.MERGED)
    assert all(alert.merged_into.kind == alert.kind and alert.merged_into.is_active for alert in merged)
    assert TicketEvent.objects.filter(code="alert_consulted").exists()
    # the dispatched work orders' units are in their alerts from the opening
    assert all(AlertUnit.objects.filter(alert=alert).exists() for alert in ClusterAlert.objects.all())


def test_demo_twice_adds_nothing(db, reference_data):
    bureau, _accounts = demo_seed_organisation()
    demo_seed_alerts(bureau)
    before = (ClusterAlert.objects.count(), Ticket.objects.count())

    assert demo_seed_alerts(bureau) == {}
    assert (ClusterAlert.objects.count(), Ticket.objects.count()) == before
