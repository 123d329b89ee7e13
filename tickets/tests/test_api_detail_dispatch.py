"""The staff ticket detail lists the work order's dispatch objections (派单异议) and its assisting units (协办), in
a constant number of queries whatever their number (docs/dispatch.md, docs/api.md)."""

import pytest
from rest_framework.test import APIClient

from tickets import services
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

API = "/api/v1/staff/tickets/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


def with_objections(org, count: int):
    """Led by office A with `count` assisting units; one objection of A, and with count 2 it is upheld (to office B,
    which objects in turn: pending) else rejected."""
    units = [org.office_b, org.food][:count]
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, assisting_units=units)
    services.ticket_accept(_fresh(ticket), actor=org.handler)
    first = services.ticket_object(_fresh(ticket), actor=org.handler, reason_code="wrong_area", text="不属本辖区。")
    if count == 1:
        services.objection_decide(first, actor=org.reviewer, decision="reject", reason="属岳阳街道")
    else:
        services.objection_decide(first, actor=org.reviewer, decision="uphold", unit=org.office_b, reason="属方松")
        services.ticket_object(_fresh(ticket), actor=org.handler_b, reason_code="not_competent", text="非本所职责。")
    return _fresh(ticket)


@pytest.mark.parametrize("count", [1, 2])
def test_the_detail_lists_objections_and_assists_in_constant_queries(org, frozen, count, django_assert_num_queries):
    ticket = with_objections(org, count)
    client = api(org.dispatcher)
    client.get(f"{API}{ticket.pk}/")  # warm the session

    # session, user (with unit and roles), the ticket, its duplicate proposals, clocks, assists, objections, their
    # evidence, tracks, attachments, events: the same whatever the number of objections and assists
    with django_assert_num_queries(11):
        response = client.get(f"{API}{ticket.pk}/")

    assert response.status_code == 200
    body = response.json()
    objections = body["objections"]
    assert len(objections) == count and len(body["assists"]) == count
    first = objections[0]
    assert (first["unit"], first["reason_code"], first["reason_label"], first["text"]) == (
        {"code": "yy", "name": "岳阳所"},
        "wrong_area",
        "不属本辖区",
        "不属本辖区。",
    )
    assert (first["decided_by"], first["decided_at"] is not None) == (org.reviewer.display_name, True)
    if count == 1:
        assert (first["status"], first["decision_reason"], first["new_unit"]) == ("rejected", "属岳阳街道", None)
        assert body["assists"][0]["status"] == "requested"
    else:
        assert (first["status"], first["new_unit"]) == ("upheld", {"code": "fs", "name": "方松所"})
        second = objections[1]
        assert (second["unit"]["code"], second["status"], second["reason_label"], second["decided_by"]) == (
            "fs",
            "pending",
            "非本单位职责",
            None,
        )
        # the re-dispatch to office B released the previous dispatch's assists
        assert [a["status"] for a in body["assists"]] == ["released", "released"]


def test_a_work_order_without_objections_lists_none(org, frozen):
    ticket = make_ticket(org)

    body = api(org.dispatcher).get(f"{API}{ticket.pk}/").json()

    assert (body["objections"], body["assists"]) == ([], [])
