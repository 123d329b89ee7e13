import pytest
import time_machine
from django.core.exceptions import ValidationError

from alerts.choices import AlertKind, AlertStatus
from alerts.models import AlertTicket, ClusterAlert, SweepMark, TicketSignature
from alerts.services import AlertClosed, alert_close, alert_consult, alert_detect_for_ticket, alert_detect_unchecked
from alerts.tests.factories import START, days, make_ticket
from notifications.models import Notification
from org.tests.factories import make_org
from tickets.models import TicketEvent

PHONE = "13900001234"
TEMPLATE = "我在某超市购买的有机蔬菜没有有机认证，属于虚假宣传，要求按食品安全法十倍赔偿。"


def linked(alert):
    return set(AlertTicket.objects.filter(alert=alert).values_list("ticket_id", flat=True))


def alert_of(kind):
    return ClusterAlert.objects.get(kind=kind)


# ------------------------------------------------------------------ thresholds and windows


def test_complainant_four_in_the_window_raise_nothing(org, receive):
    for n in range(4):
        receive(org, phone=PHONE, received_at=START + days(n))

    assert ClusterAlert.objects.count() == 0


def test_complainant_fifth_in_the_window_opens_an_alert_linking_all_five(org, receive):
    tickets = [receive(org, phone=PHONE, received_at=START + days(n)) for n in range(5)]

    alert = alert_of(AlertKind.COMPLAINANT)
    assert (alert.status, alert.key, alert.label, alert.ticket_count) == (
        AlertStatus.OPEN,
        PHONE,
        "139****1234",
        5,
    )
    assert linked(alert) == {t.pk for t in tickets}
    assert (alert.first_ticket_at, alert.last_ticket_at) == (START, START + days(4))


def test_complainant_sixth_joins_the_open_alert(org, receive):
    for n in range(5):
        receive(org, phone="+86 139 0000 1234", received_at=START + days(n))
    sixth = receive(org, phone=PHONE, received_at=START + days(6))

    alert = alert_of(AlertKind.COMPLAINANT)
    assert ClusterAlert.objects.count() == 1
    assert (alert.ticket_count, alert.last_ticket_at, sixth.pk in linked(alert)) == (6, START + days(6), True)


def test_window_includes_a_ticket_exactly_thirty_days_old(org, receive):
    for offset in (0, 10, 20, 25, 30):
        receive(org, phone=PHONE, received_at=START + days(offset))

    assert alert_of(AlertKind.COMPLAINANT).ticket_count == 5


def test_window_excludes_a_ticket_older_than_thirty_days(org, receive):
    for offset in (0, 10, 20, 25, 30.001):
        receive(org, phone=PHONE, received_at=START + days(offset))

    assert ClusterAlert.objects.count() == 0


def test_business_nine_raise_nothing_and_the_tenth_opens(org, receive):
    tickets = [receive(org, business="某某教育科技有限公司", received_at=START + days(n)) for n in range(9)]
    assert ClusterAlert.objects.count() == 0

    tickets.append(receive(org, business="某某教育科技有限公司", received_at=START + days(9)))

    alert = alert_of(AlertKind.BUSINESS)
    assert (alert.label, alert.ticket_count, linked(alert)) == ("某某教育科技有限公司", 10, {t.pk for t in tickets})
    assert alert.key == str(tickets[0].business_id)


def test_template_same_text_with_other_digits_opens_at_five(org, receive):
    texts = [TEMPLATE.replace("十倍", f"十倍（订单{n}00{n}）") + f" {n}月{n}日" for n in range(5)]
    tickets = [receive(org, content=text, received_at=START + days(n)) for n, text in enumerate(texts)]

    alert = alert_of(AlertKind.TEMPLATE)
    assert (alert.ticket_count, linked(alert)) == (5, {t.pk for t in tickets})
    assert alert.label == texts[4][:60]  # the start of the text of the work order that opened it


def test_template_four_alike_and_one_different_raise_nothing(org, receive):
    for n in range(4):
        receive(org, content=TEMPLATE, received_at=START + days(n))
    # another matter from the same shop (a word changed is a near-identical text: test_near_duplicates.py)
    receive(
        org,
        content="我在某超市购买的大米已经发霉变质，店员拒绝退货，请求市场监管部门处理。",
        received_at=START + days(4),
    )

    assert ClusterAlert.objects.count() == 0


def test_one_ticket_may_open_alerts_of_two_kinds(org, receive):
    for n in range(5):
        receive(org, phone=PHONE, content=TEMPLATE, received_at=START + days(n))

    assert sorted(ClusterAlert.objects.values_list("kind", flat=True)) == [AlertKind.COMPLAINANT, AlertKind.TEMPLATE]


def test_thresholds_come_from_settings(org, receive, settings):
    settings.HOTLINE_ALERT_COMPLAINANT_THRESHOLD = 3
    settings.HOTLINE_ALERT_COMPLAINANT_WINDOW_DAYS = 2
    for offset in (0, 3, 4):
        receive(org, phone=PHONE, received_at=START + days(offset))
    assert ClusterAlert.objects.count() == 0

    receive(org, phone=PHONE, received_at=START + days(5))

    assert alert_of(AlertKind.COMPLAINANT).ticket_count == 3


# ------------------------------------------------------------------ idempotency, bureaus


def test_detection_twice_links_nothing_twice_and_tells_no_one_twice(org, receive):
    tickets = [receive(org, phone=PHONE, received_at=START + days(n)) for n in range(6)]
    notifications = Notification.objects.count()

    results = [alert_detect_for_ticket(t.pk) for t in tickets]

    assert [(r.opened, r.linked) for r in results] == [([], [])] * 6
    assert AlertTicket.objects.count() == 6
    assert alert_of(AlertKind.COMPLAINANT).ticket_count == 6
    assert Notification.objects.count() == notifications
    assert TicketSignature.objects.count() == 6


def test_detection_of_a_missing_ticket_does_nothing(db):
    result = alert_detect_for_ticket(987654321)

    assert (result.opened, result.linked) == ([], [])


def test_another_bureau_is_never_counted_linked_or_told(org, receive):
    other = make_org("qp")
    for n in range(4):
        receive(other, phone=PHONE, received_at=START + days(n))
    for n in range(4):
        receive(org, phone=PHONE, received_at=START + days(n))
    assert ClusterAlert.objects.count() == 0

    fifth = receive(org, phone=PHONE, received_at=START + days(5))

    alert = alert_of(AlertKind.COMPLAINANT)
    assert alert.bureau == org.bureau
    assert all(t.bureau_id == org.bureau.pk for t in alert.tickets.all())
    assert fifth.pk in linked(alert)
    assert not Notification.objects.filter(recipient__unit__bureau=other.bureau).exists()


# ------------------------------------------------------------------ who is told


def test_opening_tells_the_section_and_the_leaders_of_units_holding_linked_tickets_once(org, receive):
    from tickets.models import Ticket

    first = receive(org, phone=PHONE, received_at=START)
    Ticket.objects.filter(pk=first.pk).update(unit=org.office_a)
    for n in range(1, 7):
        receive(org, phone=PHONE, received_at=START + days(n))

    told = Notification.objects.filter(code="alert.opened")
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        ["sj_chief", "sj_reviewer", "sj_unitleader", "sj_deputy"]
    )
    alert = alert_of(AlertKind.COMPLAINANT)
    assert told.first().data == {"alert_id": alert.pk, "kind": "complainant", "label": "139****1234", "count": 5}


def test_opening_message_is_in_the_recipients_language(org, receive):
    from notifications.messages import render

    for n in range(5):
        receive(org, phone=PHONE, received_at=START + days(n))
    row = Notification.objects.filter(code="alert.opened").first()

    chinese = render(row.code, row.data, language="zh-hans")
    english = render(row.code, row.data, language="en")

    assert english.subject == "Cluster alert: 139****1234"
    assert chinese.subject == "集中投诉预警：139****1234"
    assert chinese.link == english.link == f"/alerts/{row.data['alert_id']}/"


# ------------------------------------------------------------------ consultation and closing


def test_consultation_writes_the_line_on_every_linked_ticket(org, receive):
    tickets = [receive(org, phone=PHONE, received_at=START + days(n)) for n in range(5)]
    alert = alert_of(AlertKind.COMPLAINANT)

    alert_consult(alert, actor=org.chief, reply_line="依法核查，不因职业索赔身份不予受理。", note="消保科与岳阳所会商")

    alert.refresh_from_db()
    assert (alert.status, alert.consulted_by, alert.consultation_note) == (
        AlertStatus.CONSULTED,
        org.chief,
        "消保科与岳阳所会商",
    )
    events = TicketEvent.objects.filter(code="alert_consulted")
    assert sorted(events.values_list("ticket_id", flat=True)) == sorted(t.pk for t in tickets)
    assert {(e.actor_id, e.data["reply_line"], e.data["alert_id"]) for e in events} == {
        (org.chief.pk, "依法核查，不因职业索赔身份不予受理。", alert.pk)
    }


def test_consultation_needs_a_line(org, receive):
    for n in range(5):
        receive(org, phone=PHONE, received_at=START + days(n))

    with pytest.raises(ValidationError):
        alert_consult(alert_of(AlertKind.COMPLAINANT), actor=org.chief, reply_line="   ")
    assert TicketEvent.objects.filter(code="alert_consulted").count() == 0


def test_a_closed_alert_takes_no_consultation(org, receive):
    for n in range(5):
        receive(org, phone=PHONE, received_at=START + days(n))
    alert = alert_close(alert_of(AlertKind.COMPLAINANT), actor=org.chief)

    with pytest.raises(AlertClosed):
        alert_consult(alert, actor=org.chief, reply_line="统一口径")
    assert (alert.status, alert.closed_by) == (AlertStatus.CLOSED, org.chief)


def test_after_closing_only_later_tickets_count_towards_a_new_alert(org, receive):
    for n in range(5):
        receive(org, phone=PHONE, received_at=START + days(n))
    with time_machine.travel(START + days(6), tick=False):
        alert_close(alert_of(AlertKind.COMPLAINANT), actor=org.chief)

    for n in range(4):
        receive(org, phone=PHONE, received_at=START + days(7 + n))
    assert ClusterAlert.objects.filter(status=AlertStatus.OPEN).count() == 0

    receive(org, phone=PHONE, received_at=START + days(12))

    new = ClusterAlert.objects.get(status=AlertStatus.OPEN)
    assert (new.ticket_count, new.first_ticket_at) == (5, START + days(7))


# ------------------------------------------------------------------ the hand-over after intake, and its sweep


def test_intake_hands_the_ticket_over_after_commit(org, django_capture_on_commit_callbacks):
    from hotline.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tickets = [make_ticket(org, phone=PHONE, received_at=START + days(n)) for n in range(5)]
    finally:
        app.conf.task_always_eager = False

    assert linked(alert_of(AlertKind.COMPLAINANT)) == {t.pk for t in tickets}


def test_sweep_checks_tickets_never_checked_once(org):
    with time_machine.travel(START + days(5), tick=False):
        tickets = [make_ticket(org, phone=PHONE, received_at=START + days(n * 0.2)) for n in range(5)]

    with time_machine.travel(START + days(6), tick=False):
        assert alert_detect_unchecked() == 5
        assert alert_detect_unchecked() == 0

    assert linked(alert_of(AlertKind.COMPLAINANT)) == {t.pk for t in tickets}


@pytest.mark.parametrize("sweep_first", [True, False])
def test_the_check_after_intake_and_the_sweep_both_run_one_alert_everyone_told_once(org, sweep_first):
    """Issue 17: "one alert only when the per-ticket check and the nightly sweep both run" (one after the other
    here, in either order; at once in two workers: test_concurrency.py on PostgreSQL)."""
    with time_machine.travel(START + days(5), tick=False):
        tickets = [make_ticket(org, phone=PHONE, received_at=START + days(n * 0.2)) for n in range(5)]

    with time_machine.travel(START + days(6), tick=False):
        if sweep_first:
            assert alert_detect_unchecked() == 5
        for ticket in tickets:  # the hand-over after intake, late or on time
            alert_detect_for_ticket(ticket.pk)
        assert alert_detect_unchecked() == 0
        for ticket in tickets:  # and once more: a retried task
            alert_detect_for_ticket(ticket.pk)

    alert = alert_of(AlertKind.COMPLAINANT)
    assert ClusterAlert.objects.count() == 1
    assert (alert.ticket_count, linked(alert)) == (5, {t.pk for t in tickets})
    assert AlertTicket.objects.filter(alert=alert).count() == 5
    told = list(Notification.objects.filter(code="alert.opened").values_list("recipient_id", flat=True))
    assert told and len(told) == len(set(told))


def test_sweep_checks_work_orders_never_checked_however_old(org):
    with time_machine.travel(START, tick=False):
        old = make_ticket(org, phone="13700001111", received_at=START - days(400))

    with time_machine.travel(START + days(30), tick=False):
        checked = alert_detect_unchecked()

    assert (checked, TicketSignature.objects.filter(ticket=old).exists()) == (1, True)


def test_sweep_moves_its_mark_past_work_orders_older_than_the_lag_only(org):
    with time_machine.travel(START, tick=False):
        settled = [make_ticket(org, phone=PHONE, received_at=START) for _ in range(2)]
    with time_machine.travel(START + days(1), tick=False):
        fresh = make_ticket(org, phone="13700001111", received_at=START + days(1))
        alert_detect_unchecked()

    assert SweepMark.objects.get().ticket_id == settled[-1].pk
    assert TicketSignature.objects.filter(ticket=fresh).exists()


def test_sweep_limit_leaves_the_rest_to_the_next_run(org):
    with time_machine.travel(START, tick=False):
        tickets = [make_ticket(org, received_at=START + days(4 - n)) for n in range(5)]

    with time_machine.travel(START + days(10), tick=False):
        runs = [alert_detect_unchecked(limit=2) for _ in range(4)]

    assert runs == [2, 2, 1, 0]
    assert TicketSignature.objects.filter(ticket__in=tickets).count() == 5


def test_sweep_reads_tickets_and_signatures_by_primary_key_in_batches(org, django_assert_num_queries):
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            make_ticket(org, received_at=START)
    alert_detect_unchecked()  # all checked: the mark is past them

    # the mark, one empty batch of tickets after it
    with django_assert_num_queries(2):
        assert alert_detect_unchecked() == 0


def test_intake_with_the_broker_down_leaves_the_ticket_to_the_sweep(
    org, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from hotline.celery import app

    for name in ("broker_url", "broker_write_url"):  # Celery copies the one into the other when configured
        monkeypatch.setitem(app.conf, name, "redis://127.0.0.1:1/0")  # nothing listens on port 1: refused
    monkeypatch.setitem(app.conf, "broker_transport_options", {"socket_connect_timeout": 1})
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(org, phone=PHONE, received_at=START)

    assert not TicketSignature.objects.filter(ticket=ticket).exists()  # not checked, and intake did not fail
    assert "task alerts.detect_for_ticket not sent" in caplog.text
    with time_machine.travel(START + days(1), tick=False):
        assert alert_detect_unchecked() == 1
    assert TicketSignature.objects.filter(ticket=ticket).exists()


# ------------------------------------------------------------------ one complainant, many businesses (issue 17)


def test_claimant_of_two_businesses_raises_nothing_and_the_third_opens_one(org, receive):
    # three different businesses from one phone, with different texts: no other kind is due (5 work orders)
    first = receive(org, phone=PHONE, business="甲超市", received_at=START)
    receive(org, phone=PHONE, business="甲超市", received_at=START + days(1))  # the same business again
    receive(org, phone=PHONE, business="乙超市", received_at=START + days(2))
    assert not ClusterAlert.objects.filter(kind=AlertKind.CLAIMANT).exists()

    third = receive(org, phone="+86 139-0000-1234", business="丙超市", received_at=START + days(3))

    alert = alert_of(AlertKind.CLAIMANT)
    assert (alert.key, alert.label, alert.ticket_count) == (f"phone:{PHONE}", "139****1234", 4)
    assert {first.pk, third.pk} <= linked(alert)
    assert Notification.objects.filter(code="alert.opened", data__kind="claimant").exists()


def test_claimant_by_id_number_across_phones(org, receive):
    tickets = [
        receive(org, phone=f"1370000000{n}", business=name, received_at=START + days(n), id_number="310117199001011234")
        for n, name in enumerate(["甲超市", "乙超市", "丙超市"])
    ]

    alert = alert_of(AlertKind.CLAIMANT)
    assert alert.key.startswith("id:") and "310117199001011234" not in alert.key
    assert alert.label == "31*************234"
    assert linked(alert) == {t.pk for t in tickets}
    assert "310117199001011234" not in str(list(TicketSignature.objects.values_list("claimant_key", flat=True)))


def test_claimant_businesses_outside_the_window_do_not_count(org, receive):
    receive(org, phone=PHONE, business="甲超市", received_at=START)
    receive(org, phone=PHONE, business="乙超市", received_at=START + days(20))
    receive(org, phone=PHONE, business="丙超市", received_at=START + days(30.5))

    assert not ClusterAlert.objects.filter(kind=AlertKind.CLAIMANT).exists()


def test_claimant_threshold_is_a_setting(org, receive, settings):
    settings.HOTLINE_ALERT_CLAIMANT_BUSINESSES = 2
    receive(org, phone=PHONE, business="甲超市", received_at=START)
    receive(org, phone=PHONE, business="乙超市", received_at=START + days(1))

    assert alert_of(AlertKind.CLAIMANT).ticket_count == 2


def test_claimant_a_later_work_order_joins_once(org, receive):
    for n, name in enumerate(["甲超市", "乙超市", "丙超市"]):
        receive(org, phone=PHONE, business=name, received_at=START + days(n))
    later = receive(org, phone=PHONE, business="丁超市", received_at=START + days(4))
    alert_detect_for_ticket(later.pk)

    alert = alert_of(AlertKind.CLAIMANT)
    assert (alert.ticket_count, later.pk in linked(alert)) == (4, True)
