"""Merging two alerts on one business, and splitting them again (issue 17, item 3)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerts.choices import AlertKind, AlertStatus
from alerts.models import AlertTicket, AlertUnit, ClusterAlert
from alerts.services import (
    AlertClosed,
    alert_close,
    alert_consult,
    alert_detect_for_ticket,
    alert_merge,
    alert_merge_candidates,
    alert_split,
)
from alerts.tests.factories import START, days, make_ticket
from org.tests.factories import make_org
from tickets.models import Ticket, TicketEvent

TEMPLATE = "我在某超市购买的有机蔬菜没有有机认证，属于虚假宣传，要求按食品安全法十倍赔偿。"


def linked(alert):
    return set(AlertTicket.objects.filter(alert=alert).values_list("ticket_id", flat=True))


@pytest.fixture
def pair(org, receive):
    """One supermarket's business cluster (10) and a same-text cluster (5) whose last two name the supermarket."""
    business = [receive(org, business="某某超市", received_at=START + days(n)) for n in range(10)]
    texts = [receive(org, content=TEMPLATE, received_at=START + days(n)) for n in range(3)]
    texts += [receive(org, content=TEMPLATE, business="某某超市", received_at=START + days(3 + n)) for n in range(2)]
    a = ClusterAlert.objects.get(kind=AlertKind.BUSINESS)
    b = ClusterAlert.objects.get(kind=AlertKind.TEMPLATE)
    return a, b, business, texts


def test_candidates_are_the_active_alerts_sharing_a_business(org, receive, pair):
    a, b, _business, _texts = pair
    for n in range(5):
        receive(org, phone="13700000000", received_at=START + days(n))  # a third alert, no business in common

    c = ClusterAlert.objects.get(kind=AlertKind.COMPLAINANT)
    assert [x.pk for x in alert_merge_candidates(a)] == [b.pk, c.pk]  # sharing a business first
    assert [x.pk for x in alert_merge_candidates(b)] == [a.pk, c.pk]


def test_merge_moves_the_work_orders_and_routes_the_key(org, receive, pair):
    a, b, business, texts = pair
    Ticket.objects.filter(pk=texts[0].pk).update(unit=org.office_b)
    AlertUnit.objects.create(alert=b, unit=org.office_b, added_at=START)
    alert_consult(a, actor=org.chief, reply_line="统一口径：依法处理")

    merged = alert_merge(a, b, actor=org.chief)

    b.refresh_from_db()
    assert (b.status, b.merged_into_id, b.closed_by) == (AlertStatus.MERGED, a.pk, org.chief)
    # the two texts naming the supermarket were in both (12 + 5 - 2): every work order once
    assert linked(a) == {t.pk for t in business + texts}
    assert merged.ticket_count == 15
    assert AlertUnit.objects.filter(alert=a, unit=org.office_b).exists()
    # the consulted target's line reaches the work orders that joined it
    assert TicketEvent.objects.filter(ticket=texts[0], code="alert_consulted", data__alert_id=a.pk).exists()
    # a later work order with the text joins the target, not a new alert
    later = receive(org, content=TEMPLATE, received_at=START + days(8))
    assert later.pk in linked(a)
    assert ClusterAlert.objects.filter(kind=AlertKind.TEMPLATE).count() == 1


def test_split_undoes_the_merge(org, receive, pair):
    a, b, business, texts = pair
    alert_merge(a, b, actor=org.chief)
    later = receive(org, content=TEMPLATE, received_at=START + days(8))

    split = alert_split(a, actor=org.chief)

    b.refresh_from_db()
    a.refresh_from_db()
    assert [s.pk for s in split] == [b.pk]
    assert (b.status, b.merged_into_id, b.closed_at) == (AlertStatus.OPEN, None, None)
    assert linked(b) == {t.pk for t in texts}
    # the two texts naming the supermarket were the business alert's own too; what joined since stays
    assert linked(a) == {t.pk for t in business + texts[3:]} | {later.pk}
    assert (a.ticket_count, b.ticket_count) == (13, 5)
    # the key is the source's again
    again = receive(org, content=TEMPLATE, received_at=START + days(9))
    assert again.pk in linked(b)


def test_merge_refuses_another_bureaus_alert_closed_ones_and_itself(org, receive, pair):
    a, b, _business, _texts = pair
    other = make_org("qp")
    for n in range(5):
        receive(org, phone="13700000000", received_at=START + days(n), bureau=other.bureau)
    c = ClusterAlert.objects.get(bureau=other.bureau)

    with pytest.raises(ValidationError):
        alert_merge(a, c, actor=org.chief)
    with pytest.raises(ValidationError):
        alert_merge(a, a, actor=org.chief)
    alert_close(b, actor=org.chief)
    with pytest.raises(AlertClosed):
        alert_merge(a, b, actor=org.chief)
    assert ClusterAlert.objects.filter(status=AlertStatus.MERGED).count() == 0


def test_merge_and_split_pages(client, org, pair):
    a, b, _business, _texts = pair
    client.force_login(org.chief)

    page = client.get(reverse("alerts:detail", args=[a.pk])).content.decode()
    assert 'data-testid="merge-form"' in page
    response = client.post(reverse("alerts:merge", args=[a.pk]), {"other": b.pk})
    assert response.status_code == 302
    assert ClusterAlert.objects.get(pk=b.pk).status == AlertStatus.MERGED
    assert f"#{b.pk}" in client.get(reverse("alerts:detail", args=[a.pk])).content.decode()
    assert "已合并至" in client.get(reverse("alerts:detail", args=[b.pk])).content.decode()

    response = client.post(reverse("alerts:split", args=[a.pk]))
    assert response.status_code == 302
    assert ClusterAlert.objects.get(pk=b.pk).status == AlertStatus.OPEN


@pytest.mark.parametrize("data", [{}, {"other": "x"}, {"other": "999999"}])
def test_merge_bad_input_is_400(client, org, pair, data):
    a, _b, _business, _texts = pair
    client.force_login(org.chief)

    assert client.post(reverse("alerts:merge", args=[a.pk]), data).status_code == 400
    assert not ClusterAlert.objects.filter(status=AlertStatus.MERGED).exists()


def test_only_the_section_merges_and_splits(client, org, pair):
    a, b, _business, _texts = pair
    client.force_login(org.leader)

    assert client.post(reverse("alerts:merge", args=[a.pk]), {"other": b.pk}).status_code == 403
    assert client.post(reverse("alerts:split", args=[a.pk])).status_code == 403
    assert client.get(reverse("alerts:merge", args=[a.pk])).status_code in (403, 405)


def test_detection_of_a_merged_key_joins_the_target_once(org, pair):
    a, b, _business, _texts = pair
    alert_merge(a, b, actor=org.chief)
    later = make_ticket(org, content=TEMPLATE, received_at=START + days(9))

    alert_detect_for_ticket(later.pk)
    alert_detect_for_ticket(later.pk)

    assert AlertTicket.objects.filter(ticket=later).count() == 1
