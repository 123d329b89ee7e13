"""Template alerts on near-identical texts (issue 17 item 1): the shared similarity facility (tickets.similarity)
at HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT, beside the exact fingerprint."""

import math

from alerts.choices import AlertKind
from alerts.models import AlertTicket, ClusterAlert
from alerts.services import alert_close, alert_detect_for_ticket
from alerts.signatures import template_key
from alerts.tests.factories import START, days
from tickets.similarity import similarity

TEMPLATE = "我在某超市购买的有机蔬菜没有有机认证，属于虚假宣传，要求按食品安全法十倍赔偿。"
VARIANT = TEMPLATE.replace("蔬菜", "水果")  # one word changed: another fingerprint, a near-identical text
SCORE = similarity(TEMPLATE, VARIANT)


def linked(alert):
    return set(AlertTicket.objects.filter(alert=alert).values_list("ticket_id", flat=True))


def test_the_variant_is_near_identical_but_not_the_same_fingerprint():
    assert template_key(TEMPLATE) != template_key(VARIANT)
    assert 0.75 <= SCORE < 1.0  # the default threshold is 75


def test_four_alike_and_a_near_identical_fifth_open_the_template_alert(org, receive):
    tickets = [receive(org, content=TEMPLATE, received_at=START + days(n)) for n in range(4)]
    tickets.append(receive(org, content=VARIANT, received_at=START + days(4)))

    alert = ClusterAlert.objects.get(kind=AlertKind.TEMPLATE)
    assert (alert.ticket_count, linked(alert)) == (5, {t.pk for t in tickets})


def test_at_the_similarity_threshold_one_alert_just_under_none(org, receive, settings):
    settings.HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT = math.floor(SCORE * 100)  # the score reaches it
    for n in range(4):
        receive(org, content=TEMPLATE, received_at=START + days(n))
    receive(org, content=VARIANT, received_at=START + days(4))
    assert ClusterAlert.objects.filter(kind=AlertKind.TEMPLATE).count() == 1


def test_just_under_the_similarity_threshold_no_alert(org, receive, settings):
    settings.HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT = math.floor(SCORE * 100) + 1  # the score falls short
    for n in range(4):
        receive(org, content=TEMPLATE, received_at=START + days(n))
    receive(org, content=VARIANT, received_at=START + days(4))
    assert ClusterAlert.objects.count() == 0


def test_a_near_identical_text_later_joins_the_open_alert_once(org, receive):
    for n in range(5):
        receive(org, content=TEMPLATE, received_at=START + days(n))
    alert = ClusterAlert.objects.get(kind=AlertKind.TEMPLATE)

    late = receive(org, content=TEMPLATE.replace("十倍", "三倍"), received_at=START + days(6))
    alert_detect_for_ticket(late.pk)  # the sweep checks it again: nothing twice

    alert.refresh_from_db()
    assert late.pk in linked(alert)
    assert alert.ticket_count == 6
    assert ClusterAlert.objects.count() == 1


def test_after_the_alert_is_closed_only_what_came_after_counts(org, receive):
    for n in range(5):
        receive(org, content=TEMPLATE, received_at=START + days(n))
    alert_close(ClusterAlert.objects.get(), actor=org.chief)

    receive(org, content=VARIANT, received_at=START + days(7))
    assert ClusterAlert.objects.count() == 1  # the closed one: the earlier five do not count again
