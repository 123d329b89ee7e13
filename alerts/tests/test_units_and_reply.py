"""Issue 17: a work order joining later tells its unit (and adds it), the alert's units and joining times, the
unified reply line in the reply form, the dashboard's open alerts by kind and age."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alerts.choices import AlertKind, AlertStatus
from alerts.models import AlertTicket, AlertUnit, ClusterAlert
from alerts.selectors import open_alerts_by_kind_and_age
from alerts.services import alert_consult, alert_detect_for_ticket, alert_units_follow
from alerts.tests.factories import START, days, make_ticket
from notifications.models import Notification
from org.tests.factories import make_org
from tickets.choices import Finding, Outcome, Status
from tickets.models import Ticket, TicketEvent

PHONE = "13900001234"


def joined_notices(unit_people=None):
    notices = Notification.objects.filter(code="alert.ticket_joined")
    if unit_people is not None:
        notices = notices.filter(recipient__in=unit_people)
    return notices


@pytest.fixture
def alert(org, receive):
    """A complainant alert of five work orders; the first was office A's when the alert opened."""
    first = make_ticket(org, phone=PHONE, received_at=START)
    Ticket.objects.filter(pk=first.pk).update(unit=org.office_a)
    alert_detect_for_ticket(first.pk)
    for n in range(1, 5):
        receive(org, phone=PHONE, received_at=START + days(n))
    return ClusterAlert.objects.get(kind=AlertKind.COMPLAINANT)


def late_ticket(org, unit):
    ticket = make_ticket(org, phone=PHONE, received_at=START + days(6))
    if unit is not None:
        Ticket.objects.filter(pk=ticket.pk).update(unit=unit)
    return ticket


# ------------------------------------------------------------------ the units of an alert


def test_opening_puts_the_units_holding_linked_tickets_in_the_alert(org, alert):
    assert list(AlertUnit.objects.filter(alert=alert).values_list("unit_id", flat=True)) == [org.office_a.pk]
    first = AlertTicket.objects.get(alert=alert, ticket__unit=org.office_a)
    assert first.told_unit_id == org.office_a.pk
    # the opening notice told them; no "joined" notice on top
    assert not joined_notices().exists()


def test_late_ticket_of_a_new_unit_tells_it_once_and_adds_it(org, alert):
    ticket = late_ticket(org, org.office_b)

    alert_detect_for_ticket(ticket.pk)
    alert_detect_for_ticket(ticket.pk)  # checked again (the sweep, a retried task): nobody told twice

    assert set(AlertUnit.objects.filter(alert=alert).values_list("unit_id", flat=True)) == {
        org.office_a.pk,
        org.office_b.pk,
    }
    notices = joined_notices()
    assert [n.recipient_id for n in notices] == [org.deputy_b.pk]
    notice = notices.get()
    assert (notice.ticket_id, notice.data["unit_added"], notice.data["alert_id"]) == (ticket.pk, True, alert.pk)
    assert AlertTicket.objects.get(alert=alert, ticket=ticket).told_unit_id == org.office_b.pk


def test_late_ticket_of_a_unit_already_in_the_alert_tells_it_without_adding_it_again(org, alert):
    ticket = late_ticket(org, org.office_a)

    alert_detect_for_ticket(ticket.pk)

    assert AlertUnit.objects.filter(alert=alert).count() == 1
    assert set(joined_notices().values_list("recipient_id", flat=True)) == {org.deputy.pk, org.unit_leader.pk}
    assert {n.data["unit_added"] for n in joined_notices()} == {False}


def test_late_ticket_without_a_unit_tells_no_one_until_it_is_dispatched(org, alert):
    ticket = late_ticket(org, None)
    alert_detect_for_ticket(ticket.pk)
    assert not joined_notices().exists()
    assert alert_units_follow() == 0

    Ticket.objects.filter(pk=ticket.pk).update(unit=org.office_b, status=Status.DISPATCHED)
    assert alert_units_follow() == 1
    assert alert_units_follow() == 0  # once

    assert [n.recipient_id for n in joined_notices()] == [org.deputy_b.pk]
    assert AlertUnit.objects.filter(alert=alert, unit=org.office_b).exists()


def test_units_follow_tells_a_unit_once_for_many_tickets_and_again_after_a_redispatch(org, alert):
    links = AlertTicket.objects.filter(alert=alert, told_unit__isnull=True)
    unlinked_unit = list(links.values_list("ticket_id", flat=True))
    Ticket.objects.filter(pk__in=unlinked_unit).update(unit=org.office_b)

    assert alert_units_follow() == 4
    assert [n.data["count"] for n in joined_notices()] == [4]  # one notice for the four

    Ticket.objects.filter(pk=unlinked_unit[0]).update(unit=org.office_a)
    assert alert_units_follow() == 1
    assert joined_notices([org.deputy, org.unit_leader]).count() == 2


def test_units_follow_leaves_closed_alerts_alone(org, alert):
    ClusterAlert.objects.filter(pk=alert.pk).update(status=AlertStatus.CLOSED, closed_at=timezone.now())
    AlertTicket.objects.filter(alert=alert).update(told_unit=None)
    Ticket.objects.update(unit=org.office_b)

    assert alert_units_follow() == 0


def test_alert_page_shows_when_each_ticket_joined_and_the_units(client, org, alert):
    ticket = late_ticket(org, org.office_b)
    with_time = dt.datetime(2026, 9, 20, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(with_time, tick=False):
        alert_detect_for_ticket(ticket.pk)
    client.force_login(org.chief)

    response = client.get(reverse("alerts:detail", args=[alert.pk]))

    body = response.content.decode()
    rows = {row["ticket"].pk: row["ticket"].joined_at for row in response.context["rows"]}
    assert rows[ticket.pk] == with_time
    assert "2026-09-20 17:30" in body  # shown in Shanghai time
    assert "岳阳所" in body and "方松所" in body
    assert "加入预警" in body


# ------------------------------------------------------------------ the unified reply line in the reply form


@pytest.fixture
def handled(org, alert):
    """Office A's linked ticket, in progress with the handler; the alert consulted with a line."""
    alert_consult(alert, actor=org.chief, reply_line="经核查，该公司已停业，已移交相关部门依法处理。")
    ticket = Ticket.objects.get(pk=AlertTicket.objects.get(alert=alert, ticket__unit=org.office_a).ticket_id)
    Ticket.objects.filter(pk=ticket.pk).update(handler=org.handler, status=Status.IN_PROGRESS)
    return Ticket.objects.get(pk=ticket.pk)


def test_reply_form_offers_the_line_with_a_button(client, org, handled, alert):
    client.force_login(org.handler)

    body = client.get(reverse("tickets:detail", args=[handled.pk])).content.decode()

    assert 'data-testid="insert-reply-line"' in body
    assert 'data-reply-line="经核查，该公司已停业，已移交相关部门依法处理。"' in body
    assert f'data-alert="{alert.pk}"' in body
    assert "alerts/reply_line" in body  # the script, served from the app's static (no CDN)
    assert 'name="reply_line_alert"' in body


def test_reply_form_offers_no_line_before_the_consultation_or_after_closing(client, org, alert):
    ticket = Ticket.objects.get(pk=AlertTicket.objects.get(alert=alert, ticket__unit=org.office_a).ticket_id)
    Ticket.objects.filter(pk=ticket.pk).update(handler=org.handler, status=Status.IN_PROGRESS)
    client.force_login(org.handler)

    assert "insert-reply-line" not in client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    alert_consult(alert, actor=org.chief, reply_line="统一口径")
    ClusterAlert.objects.filter(pk=alert.pk).update(status=AlertStatus.CLOSED)
    assert "insert-reply-line" not in client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()


def reply_data(ticket, **extra):
    return {
        "version": ticket.version,
        "reply_text": "经核查，该公司已停业，已移交相关部门依法处理。另：已告知消费者维权途径。",
        "complaint_finding": Finding.SUBSTANTIATED,
        "complaint_outcome": Outcome.NOT_ACCEPTED,
        **extra,
    }


def test_reply_records_that_the_line_was_used(client, org, handled, alert):
    client.force_login(org.handler)

    response = client.post(reverse("tickets:reply", args=[handled.pk]), reply_data(handled, reply_line_alert=alert.pk))

    assert response.status_code == 302
    event = TicketEvent.objects.get(ticket=handled, code="reply_submitted")
    assert event.data["reply_line_alert"] == alert.pk
    page = client.get(reverse("tickets:detail", args=[handled.pk])).content.decode()
    assert f"依据集中投诉预警 {alert.pk} 的统一口径" in page


def test_reply_without_the_line_records_nothing_of_it(client, org, handled):
    client.force_login(org.handler)

    client.post(reverse("tickets:reply", args=[handled.pk]), reply_data(handled))

    assert "reply_line_alert" not in TicketEvent.objects.get(ticket=handled, code="reply_submitted").data


def test_reply_with_a_bad_line_reference_is_a_form_error(client, org, handled):
    client.force_login(org.handler)

    response = client.post(reverse("tickets:reply", args=[handled.pk]), reply_data(handled, reply_line_alert="x"))

    assert response.status_code == 400
    assert not TicketEvent.objects.filter(ticket=handled, code="reply_submitted").exists()


def test_staff_api_reply_records_the_line(client, org, handled, alert):
    client.force_login(org.handler)

    response = client.post(
        reverse("staff_api:ticket-reply", args=[handled.pk]),
        {
            "reply_text": "经核查，该公司已停业。",
            "complaint": {"finding": Finding.SUBSTANTIATED, "outcome": Outcome.NOT_ACCEPTED},
            "reply_line_alert": alert.pk,
        },
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert TicketEvent.objects.get(ticket=handled, code="reply_submitted").data["reply_line_alert"] == alert.pk


# ------------------------------------------------------------------ open alerts by kind and age


def make_alert(org, kind, key, *, opened_days_ago, status=AlertStatus.OPEN, now):
    opened = now - dt.timedelta(days=opened_days_ago)
    return ClusterAlert.objects.create(
        bureau=org.bureau,
        kind=kind,
        key=key,
        label=key,
        status=status,
        opened_at=opened,
        first_ticket_at=opened,
        last_ticket_at=opened,
        ticket_count=5,
        closed_at=now if status == AlertStatus.CLOSED else None,
    )


def test_open_alerts_by_kind_and_age(org, django_assert_num_queries):
    now = timezone.now()
    make_alert(org, AlertKind.BUSINESS, "1", opened_days_ago=0.5, now=now)
    make_alert(org, AlertKind.BUSINESS, "2", opened_days_ago=1, now=now)  # exactly one day: the 1-7 band
    make_alert(org, AlertKind.BUSINESS, "3", opened_days_ago=10, status=AlertStatus.CONSULTED, now=now)
    make_alert(org, AlertKind.TEMPLATE, "t", opened_days_ago=45, now=now)
    make_alert(org, AlertKind.COMPLAINANT, "c", opened_days_ago=2, status=AlertStatus.CLOSED, now=now)
    other = make_org("qp")
    make_alert(other, AlertKind.BUSINESS, "9", opened_days_ago=0.1, now=now)

    with django_assert_num_queries(1):
        figures = open_alerts_by_kind_and_age(org.bureau.pk, now=now)

    rows = {row["kind"]: row for row in figures["rows"]}
    assert [row["kind"] for row in figures["rows"]] == list(AlertKind.values)
    business = rows[AlertKind.BUSINESS]
    keys = ("total", "open", "consulted", "day", "week", "month", "older")
    assert [business[k] for k in keys] == [3, 2, 1, 1, 1, 1, 0]
    assert (rows[AlertKind.TEMPLATE]["older"], rows[AlertKind.COMPLAINANT]["total"]) == (1, 0)
    assert figures["totals"]["total"] == 4
    assert figures["oldest_opened_at"] == now - dt.timedelta(days=45)
    assert open_alerts_by_kind_and_age(org.bureau, now=now)["rows"] == figures["rows"]  # a Bureau does as well


def test_dashboard_shows_open_alerts_by_kind_to_the_section(client, org):
    now = timezone.now()
    make_alert(org, AlertKind.TEMPLATE, "t", opened_days_ago=3, now=now)
    client.force_login(org.chief)

    body = client.get(reverse("reviews:dashboard")).content.decode()

    assert 'data-testid="open-alerts-by-kind"' in body
    assert "同一文本" in body
    assert reverse("alerts:list") + "?kind=template" in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_handler_inserts_the_line_with_one_click_edits_it_and_the_reply_records_it(live_server, org):
    from core.browser import chromium_page, screenshot, sign_in
    from org.tests.factories import PASSWORD

    tickets = [make_ticket(org, phone=PHONE, received_at=START + days(n)) for n in range(5)]
    for ticket in tickets:
        alert_detect_for_ticket(ticket.pk)
    alert = ClusterAlert.objects.get(kind=AlertKind.COMPLAINANT)
    line = "经核查，该公司已停业，已移交相关部门依法处理。"
    alert_consult(alert, actor=org.chief, reply_line=line)
    ticket = tickets[0]
    Ticket.objects.filter(pk=ticket.pk).update(unit=org.office_a, handler=org.handler, status=Status.IN_PROGRESS)
    base = live_server.url

    with chromium_page() as page:
        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        page.wait_for_selector("#form-reply")
        page.fill("#form-reply textarea[name=reply_text]", "您好：")
        page.click("[data-testid=insert-reply-line]")
        assert page.input_value("#form-reply textarea[name=reply_text]") == "您好：\n" + line
        page.click("[data-testid=insert-reply-line]")  # a second click does not insert it twice
        assert page.input_value("#form-reply textarea[name=reply_text]") == "您好：\n" + line
        page.press("#form-reply textarea[name=reply_text]", "End")
        page.keyboard.type("另：已告知维权途径。")
        page.check("#form-reply input[name=complaint_finding][value=substantiated]")
        page.select_option("#form-reply select[name=complaint_outcome]", Outcome.NOT_ACCEPTED)
        screenshot(page, "alerts-reply-line-inserted")
        page.click("#form-reply button[type=submit]")
        page.wait_for_selector(".message-success")

    ticket.refresh_from_db()
    assert ticket.reply_text.replace("\r\n", "\n") == "您好：\n" + line + "另：已告知维权途径。"  # a form sends CRLF
    assert TicketEvent.objects.get(ticket=ticket, code="reply_submitted").data["reply_line_alert"] == alert.pk
