"""Cluster alerts in the staff API: list, detail, linked work orders, consult, close; the pages' permissions."""

import pytest
from rest_framework.test import APIClient

from alerts.choices import AlertKind, AlertStatus
from alerts.models import ClusterAlert
from alerts.services import alert_units_follow
from alerts.tests.factories import START, days
from org.tests.factories import make_org
from tickets.models import Ticket, TicketEvent

PHONE = "13900001234"
LIST = "/api/v1/staff/alerts/"


def staff(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


@pytest.fixture
def alert(org, receive):
    """A complainant alert of five work orders; the first was dispatched to office A afterwards (the beat told it)."""
    tickets = [receive(org, phone=PHONE, received_at=START + days(n)) for n in range(5)]
    Ticket.objects.filter(pk=tickets[0].pk).update(unit=org.office_a)
    alert_units_follow()
    return ClusterAlert.objects.get(kind=AlertKind.COMPLAINANT)


def make_alerts(org, receive, count):
    for n in range(count):
        for d in range(5):
            receive(org, phone=f"1390000{n:04d}", received_at=START + days(d))


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_constant(org, receive, count, django_assert_num_queries):
    make_alerts(org, receive, count)
    api = staff(org.chief)
    api.get(LIST)

    # session, user with unit and roles, the page
    with django_assert_num_queries(3):
        response = api.get(LIST)

    assert len(response.json()["results"]) == count


def test_list_answers_the_pages_rows_open_first(org, receive):
    make_alerts(org, receive, 2)
    first = ClusterAlert.objects.order_by("pk").first()
    ClusterAlert.objects.filter(pk=first.pk).update(status=AlertStatus.CLOSED)

    body = staff(org.chief).get(LIST).json()

    assert [row["status"] for row in body["results"]] == ["open", "closed"]
    row = body["results"][1]
    assert (row["kind"], row["label"], row["ticket_count"], row["closed_at"]) == ("complainant", "139****0000", 5, None)
    assert row["opened_at"].endswith("+08:00")
    assert body["next"] is None


def test_list_filters_and_pages(org, receive, alert):
    for n in range(10):
        receive(org, business="某某教育科技有限公司", received_at=START + days(n))
    api = staff(org.chief)

    assert [r["kind"] for r in api.get(LIST, {"kind": "business"}).json()["results"]] == ["business"]
    assert api.get(LIST, {"status": "closed"}).json()["results"] == []
    page = api.get(LIST, {"limit": 1}).json()
    assert len(page["results"]) == 1 and "offset=1" in page["next"]


@pytest.mark.parametrize("query", [{"kind": "nonsense"}, {"status": "x"}, {"limit": "0"}, {"offset": "-1"}])
def test_list_bad_input_is_400(org, alert, query):
    response = staff(org.chief).get(LIST, query)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_list_same_permissions_as_the_page(org, receive, alert):
    assert staff(org.handler).get(LIST).status_code == 403
    assert staff(org.deputy_b).get(LIST).json()["results"] == []  # no work order of theirs in it
    assert [r["id"] for r in staff(org.deputy).get(LIST).json()["results"]] == [alert.pk]
    assert APIClient().get(LIST).status_code in (401, 403)


def test_detail_and_tickets(org, alert):
    api = staff(org.chief)

    body = api.get(f"{LIST}{alert.pk}/").json()
    tickets = api.get(f"{LIST}{alert.pk}/tickets/").json()

    assert (body["id"], body["status"], body["reply_line"], body["units"][0]["name"]) == (
        alert.pk,
        "open",
        "",
        "岳阳所",
    )
    assert len(tickets["results"]) == 5
    row = tickets["results"][0]
    assert row["complainant_phone"] == "139****1234"  # masked
    assert row["joined_at"].endswith("+08:00")


def test_unit_sees_only_its_tickets_and_other_bureau_nothing(org, alert):
    assert len(staff(org.deputy).get(f"{LIST}{alert.pk}/tickets/").json()["results"]) == 1
    other = make_org("qp")
    assert staff(other.chief).get(f"{LIST}{alert.pk}/").status_code == 404
    assert staff(org.deputy_b).get(f"{LIST}{alert.pk}/").status_code == 404
    assert staff(org.chief).get(f"{LIST}999999/").status_code == 404


def test_consult_writes_the_line_on_every_linked_ticket(org, alert):
    response = staff(org.reviewer).post(
        f"{LIST}{alert.pk}/consult/", {"reply_line": "统一口径：依法核查", "note": "会商"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reply_line"]) == ("consulted", "统一口径：依法核查")
    assert TicketEvent.objects.filter(code="alert_consulted").count() == 5


@pytest.mark.parametrize("body", [{}, {"reply_line": "   "}, {"reply_line": "x" * 5001}, ["x"]])
def test_consult_bad_input_is_400(org, alert, body):
    response = staff(org.chief).post(f"{LIST}{alert.pk}/consult/", body, format="json")

    assert response.status_code == 400
    assert TicketEvent.objects.filter(code="alert_consulted").count() == 0


def test_consult_and_close_need_the_section(org, alert):
    # the unit's deputy sees the alert (200 on the detail) but may not consult or close it: 403, as the page
    for user in (org.deputy, org.leader):
        api = staff(user)
        assert api.post(f"{LIST}{alert.pk}/consult/", {"reply_line": "x"}, format="json").status_code == 403
        assert api.post(f"{LIST}{alert.pk}/close/").status_code == 403
    assert staff(org.deputy_b).post(f"{LIST}{alert.pk}/close/").status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_close_then_consult_is_a_conflict(org, alert):
    api = staff(org.chief)

    closed = api.post(f"{LIST}{alert.pk}/close/")
    again = api.post(f"{LIST}{alert.pk}/close/")
    consult = api.post(f"{LIST}{alert.pk}/consult/", {"reply_line": "x"}, format="json")

    assert (closed.status_code, closed.json()["status"], again.status_code) == (200, "closed", 200)
    assert (consult.status_code, consult.json()["error"]["code"]) == (409, "alert_closed")


def test_schema_lists_the_alert_operations(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]

    assert {"get"} <= set(paths["/api/v1/staff/alerts/"])
    assert "post" in paths["/api/v1/staff/alerts/{id}/consult/"]
    assert "post" in paths["/api/v1/staff/alerts/{id}/close/"]
    assert "get" in paths["/api/v1/staff/alerts/{id}/tickets/"]
