import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.choices import AlertKind, AlertStatus
from alerts.models import ClusterAlert
from alerts.tests.factories import START, days
from org.tests.factories import make_org
from tickets.models import Ticket, TicketEvent

PHONE = "13900001234"


@pytest.fixture
def alert(org, receive):
    """A complainant alert of five work orders; the first is office A's."""
    tickets = [receive(org, phone=PHONE, received_at=START + days(n)) for n in range(5)]
    Ticket.objects.filter(pk=tickets[0].pk).update(unit=org.office_a)
    return ClusterAlert.objects.get(kind=AlertKind.COMPLAINANT)


def make_alerts(org, receive, count):
    for n in range(count):
        for d in range(5):
            receive(org, phone=f"1390000{n:04d}", received_at=START + days(d))


# ------------------------------------------------------------------ the list


def test_list_shows_open_alerts_first(client, org, receive):
    make_alerts(org, receive, 3)
    first = ClusterAlert.objects.order_by("pk").first()
    ClusterAlert.objects.filter(pk=first.pk).update(status=AlertStatus.CLOSED)
    client.force_login(org.chief)

    response = client.get(reverse("alerts:list"))

    assert [a.status for a in response.context["alerts"]] == ["open", "open", "closed"]
    assert "139****0000" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count(client, org, receive, count):
    make_alerts(org, receive, count)
    client.force_login(org.chief)
    client.get(reverse("alerts:list"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("alerts:list"))

    assert len(response.context["alerts"]) == count
    # the page base (session, user, bell), the paginator's count, the page of alerts
    assert len(queries) == 5


def test_list_filters_by_kind_and_status(client, org, receive, alert):
    for n in range(10):
        receive(org, business="某某教育科技有限公司", received_at=START + days(n))
    client.force_login(org.chief)

    by_kind = client.get(reverse("alerts:list"), {"kind": "business"})
    by_status = client.get(reverse("alerts:list"), {"status": "closed"})

    assert [a.kind for a in by_kind.context["alerts"]] == ["business"]
    assert list(by_status.context["alerts"]) == []


@pytest.mark.parametrize(
    "query",
    [{"kind": "nonsense"}, {"status": "x" * 500}, {"page": "abc"}, {"page": "-1"}, {"page": "99"}, {"page": "last"}],
)
def test_list_bad_input_shows_the_list(client, org, alert, query):
    client.force_login(org.chief)

    response = client.get(reverse("alerts:list"), query)

    assert (response.status_code, [a.pk for a in response.context["alerts"]]) == (200, [alert.pk])


def test_unit_leader_sees_only_alerts_linking_their_units_tickets(client, org, receive, alert):
    for d in range(5):
        receive(org, phone="13700007777", received_at=START + days(d))
    client.force_login(org.unit_leader)

    response = client.get(reverse("alerts:list"))

    assert [a.pk for a in response.context["alerts"]] == [alert.pk]


def test_other_units_deputy_sees_no_alert(client, org, alert):
    client.force_login(org.deputy_b)

    listing = client.get(reverse("alerts:list"))
    page = client.get(reverse("alerts:detail", args=[alert.pk]))

    assert (list(listing.context["alerts"]), page.status_code) == ([], 404)


def test_handler_may_not_open_the_list(client, org, alert):
    client.force_login(org.handler)

    assert client.get(reverse("alerts:list")).status_code == 403
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 403


def test_another_bureau_never_sees_the_alert(client, org, alert):
    other = make_org("qp")
    client.force_login(other.chief)

    listing = client.get(reverse("alerts:list"))
    page = client.get(reverse("alerts:detail", args=[alert.pk]))
    consult = client.post(reverse("alerts:consult", args=[alert.pk]), {"reply_line": "x"})
    close = client.post(reverse("alerts:close", args=[alert.pk]))

    assert (list(listing.context["alerts"]), page.status_code, consult.status_code, close.status_code) == (
        [],
        404,
        404,
        404,
    )
    assert not TicketEvent.objects.filter(code="alert_consulted").exists()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_another_units_deputy_may_not_consult_or_close(client, org, alert):
    client.force_login(org.deputy_b)

    consult = client.post(reverse("alerts:consult", args=[alert.pk]), {"reply_line": "x"})
    close = client.post(reverse("alerts:close", args=[alert.pk]))

    assert (consult.status_code, close.status_code) == (404, 404)
    alert.refresh_from_db()
    assert (alert.status, alert.reply_line) == (AlertStatus.OPEN, "")


def test_navigation_shows_the_entry_to_the_section_and_unit_leaders_only(client, org):
    url = reverse("alerts:list")
    shown = {}
    for user in (org.chief, org.unit_leader, org.deputy, org.handler):
        client.force_login(user)
        shown[user.username] = any(
            item["url"] == url for item in client.get(reverse("notifications:list")).context["nav_items"]
        )

    assert shown == {"sj_chief": True, "sj_unitleader": True, "sj_deputy": True, "sj_handler": False}


# ------------------------------------------------------------------ the alert page


def test_alert_page_lists_linked_tickets_masked(client, org, alert):
    client.force_login(org.chief)

    response = client.get(reverse("alerts:detail", args=[alert.pk]))

    body = response.content.decode()
    assert len(response.context["rows"]) == 5
    assert "139****1234" in body and PHONE not in body
    assert "李*" in body and "李四" not in body
    assert response.context["can_consult"] is True


def test_alert_page_shows_a_unit_only_its_own_tickets_and_no_form(client, org, alert):
    client.force_login(org.unit_leader)

    response = client.get(reverse("alerts:detail", args=[alert.pk]))

    assert [row["ticket"].unit_id for row in response.context["rows"]] == [org.office_a.pk]
    assert (response.context["can_consult"], response.context["form"]) == (False, None)


def test_alert_page_of_a_missing_alert_is_404(client, org):
    client.force_login(org.chief)

    assert client.get(reverse("alerts:detail", args=[999999])).status_code == 404


# ------------------------------------------------------------------ consultation and closing


def test_consultation_form_writes_an_event_on_every_linked_ticket(client, org, alert):
    client.force_login(org.reviewer)

    response = client.post(
        reverse("alerts:consult", args=[alert.pk]), {"reply_line": "依法依规核查，统一答复。", "note": "会商纪要"}
    )

    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.reply_line, alert.consulted_by) == (
        "consulted",
        "依法依规核查，统一答复。",
        org.reviewer,
    )
    assert TicketEvent.objects.filter(code="alert_consulted").count() == 5


@pytest.mark.parametrize("data", [{}, {"reply_line": "  "}, {"reply_line": "x" * 6000}])
def test_consultation_bad_input_answers_400(client, org, alert, data):
    client.force_login(org.chief)

    response = client.post(reverse("alerts:consult", args=[alert.pk]), data)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert not TicketEvent.objects.filter(code="alert_consulted").exists()


@pytest.mark.parametrize("who", ["unit_leader", "deputy", "dispatcher", "leader", "handler"])
def test_only_section_staff_consult_and_close(client, org, alert, who):
    client.force_login(getattr(org, who))

    consult = client.post(reverse("alerts:consult", args=[alert.pk]), {"reply_line": "x"})
    close = client.post(reverse("alerts:close", args=[alert.pk]), {})

    assert {consult.status_code, close.status_code} <= {403, 404}
    alert.refresh_from_db()
    assert alert.status == "open"


def test_consult_and_close_refuse_get(client, org, alert):
    client.force_login(org.chief)

    assert client.get(reverse("alerts:consult", args=[alert.pk])).status_code == 405
    assert client.get(reverse("alerts:close", args=[alert.pk])).status_code == 405


def test_close_then_consult_is_refused(client, org, alert):
    client.force_login(org.chief)

    closed = client.post(reverse("alerts:close", args=[alert.pk]))
    page = client.get(reverse("alerts:detail", args=[alert.pk]))
    consult = client.post(reverse("alerts:consult", args=[alert.pk]), {"reply_line": "x"})

    assert (closed.status_code, page.context["can_consult"], consult.status_code) == (302, False, 400)
    alert.refresh_from_db()
    assert alert.status == "closed"


# ------------------------------------------------------------------ the ticket page's flag


def test_ticket_page_shows_the_flag_and_the_reply_line(client, org, alert):
    from alerts.services import alert_consult

    alert_consult(alert, actor=org.chief, reply_line="统一口径：依法核查")
    ticket = alert.tickets.get(unit=org.office_a)
    client.force_login(org.unit_leader)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "疑似集中投诉/职业索赔" in body
    assert "统一口径：依法核查" in body
    assert reverse("alerts:detail", args=[alert.pk]) in body
    assert "集中投诉预警已会商：统一口径" in body  # the timeline's event, translated when shown


def test_ticket_page_shows_the_handler_the_line_without_a_link(client, org, alert):
    ticket = alert.tickets.get(unit=org.office_a)
    Ticket.objects.filter(pk=ticket.pk).update(handler=org.handler, status="accepted")
    client.force_login(org.handler)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "疑似集中投诉/职业索赔" in body
    assert reverse("alerts:detail", args=[alert.pk]) not in body


def test_ticket_page_without_alert_has_no_flag(client, org, receive):
    ticket = receive(org, phone=PHONE)
    client.force_login(org.chief)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "疑似集中投诉/职业索赔" not in body


def test_ticket_page_costs_one_query_for_any_number_of_alerts(client, org, receive):
    content = "我在某超市购买的有机蔬菜没有有机认证，属于虚假宣传，要求十倍赔偿。"
    tickets = [receive(org, phone=PHONE, content=content, received_at=START + days(n)) for n in range(5)]
    client.force_login(org.chief)
    url = reverse("tickets:detail", args=[tickets[0].pk])
    lone = receive(org, phone="13600000000")
    client.get(url)

    with CaptureQueriesContext(connection) as two_alerts:
        response = client.get(url)
    with CaptureQueriesContext(connection) as no_alert:
        client.get(reverse("tickets:detail", args=[lone.pk]))

    assert ClusterAlert.objects.count() == 2
    assert response.content.decode().count('class="alert-flag-item"') == 2
    assert len(two_alerts) == len(no_alert)


def test_admin_lists_alerts_without_offering_to_change_them(client, org, alert):
    client.force_login(org.admin)

    listing = client.get(reverse("admin:alerts_clusteralert_changelist"))
    change = client.get(reverse("admin:alerts_clusteralert_change", args=[alert.pk]))

    assert (listing.status_code, "139****1234" in listing.content.decode()) == (200, True)
    assert change.status_code == 200  # view only
    assert (
        client.post(reverse("admin:alerts_clusteralert_change", args=[alert.pk]), {"status": "closed"}).status_code
        == 403
    )
    alert.refresh_from_db()
    assert alert.status == "open"


def test_admin_view_page_labels_every_field_in_chinese(client, org, alert):
    client.force_login(org.admin)
    client.post(reverse("alerts:close", args=[alert.pk]))

    page = client.get(reverse("admin:alerts_clusteralert_change", args=[alert.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert ("关闭人" in page.content.decode(), "Closed by" in page.content.decode()) == (True, False)
