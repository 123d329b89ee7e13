import pytest
from rest_framework.test import APIClient

from org.tests.factories import make_org
from tickets import services
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

LIST = "/api/v1/staff/tickets/"


def staff(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def detail_url(ticket, action=""):
    return f"{LIST}{ticket.pk}/" + (f"{action}/" if action else "")


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_list_query_count_is_constant(org, rows, django_assert_num_queries):
    tickets = [make_ticket(org) for _ in range(rows)]
    api = staff(org.dispatcher)
    api.get(LIST)  # warm the session

    # session, user with unit and roles (org.backends), the page
    with django_assert_num_queries(3):
        response = api.get(LIST)

    assert [row["id"] for row in response.json()["results"]] == [t.pk for t in reversed(tickets)]


def test_staff_list_filters_by_status_and_text(org):
    dispatched = make_ticket(org, external_id="SH-A-1")
    services.ticket_dispatch(dispatched, unit=org.office_a, actor=org.dispatcher)
    make_ticket(org, external_id="SH-B-2")
    api = staff(org.dispatcher)

    by_status = api.get(LIST, {"status": "dispatched"}).json()["results"]
    by_text = api.get(LIST, {"q": "B-2"}).json()["results"]

    assert [r["external_id"] for r in by_status] == ["SH-A-1"]
    assert [r["external_id"] for r in by_text] == ["SH-B-2"]
    assert by_status[0]["unit"] == {"code": "yy", "name": "岳阳所"}


def test_staff_list_invalid_filter_answers_400(org):
    response = staff(org.dispatcher).get(LIST, {"status": "nonsense"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["status"]


def test_staff_list_is_paginated_by_cursor(org):
    tickets = [make_ticket(org) for _ in range(3)]
    api = staff(org.dispatcher)

    first = api.get(LIST, {"limit": 2}).json()
    second = api.get(first["next"]).json()

    assert [r["id"] for r in first["results"] + second["results"]] == [t.pk for t in reversed(tickets)]
    assert second["next"] is None


def test_staff_unit_sees_only_its_tickets(org):
    mine = make_ticket(org)
    services.ticket_dispatch(mine, unit=org.office_a, actor=org.dispatcher)
    theirs = make_ticket(org)
    services.ticket_dispatch(theirs, unit=org.office_b, actor=org.dispatcher)

    rows = staff(org.handler).get(LIST).json()["results"]

    assert [r["id"] for r in rows] == [mine.pk]


def test_staff_detail_of_another_units_ticket_answers_404(org):
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_b, actor=org.dispatcher)

    response = staff(org.handler).get(detail_url(ticket))
    action = staff(org.handler).post(detail_url(ticket, "accept"), {}, format="json")

    assert (response.status_code, action.status_code) == (404, 404)
    assert response.json()["error"]["code"] == "not_found"
    assert Ticket.objects.get(pk=ticket.pk).status == "dispatched"


def test_staff_of_another_bureau_gets_404(org):
    other = make_org("qp")
    ticket = make_ticket(org)

    response = staff(other.dispatcher).get(detail_url(ticket))

    assert response.status_code == 404


def test_staff_detail_masks_personal_data(org):
    ticket = make_ticket(org)

    body = staff(org.dispatcher).get(detail_url(ticket)).json()

    assert (body["complainant_name"], body["complainant_phone"]) == ("张*", "138****5678")
    assert [e["code"] for e in body["events"]] == ["received"]


def test_staff_api_without_session_answers_401(org):
    response = APIClient().get(LIST)

    assert response.status_code == 401


def test_staff_dispatch_then_accept_uses_the_services(org):
    ticket = make_ticket(org)

    dispatched = staff(org.dispatcher).post(
        detail_url(ticket, "dispatch"), {"unit": "yy", "expected_version": 1}, format="json"
    )
    accepted = staff(org.handler).post(detail_url(ticket, "accept"), {}, format="json")

    assert dispatched.json()["status"] == "dispatched"
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["handler"] == org.handler.display_name


def test_staff_dispatch_needs_the_permission(org):
    ticket = make_ticket(org)

    response = staff(org.chief).post(detail_url(ticket, "dispatch"), {"unit": "yy"}, format="json")

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == "received"


def test_staff_dispatch_with_stale_version_answers_409(org):
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_b, actor=org.dispatcher)

    response = staff(org.dispatcher).post(
        detail_url(ticket, "dispatch"), {"unit": "yy", "expected_version": 1}, format="json"
    )

    assert response.status_code == 409
    assert Ticket.objects.get(pk=ticket.pk).unit == org.office_b


def test_staff_dispatch_to_unknown_unit_answers_400(org):
    ticket = make_ticket(org)

    response = staff(org.dispatcher).post(detail_url(ticket, "dispatch"), {"unit": "nope"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["unit"]


def test_staff_first_contact_and_reply(org):
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    api = staff(org.handler)

    contact = api.post(detail_url(ticket, "first-contact"), {"note": "电话联系"}, format="json")
    bad_reply = api.post(detail_url(ticket, "reply"), {"reply_text": "已处理"}, format="json")
    reply = api.post(
        detail_url(ticket, "reply"),
        {
            "reply_text": "已调解",
            "complaint": {"finding": "substantiated", "outcome": "mediated", "is_violation_suspected": False},
        },
        format="json",
    )

    assert contact.json()["status"] == "in_progress"
    assert bad_reply.status_code == 400
    assert "complaint_finding" in bad_reply.json()["error"]["fields"]
    assert reply.json()["status"] == "unit_review"


def test_staff_action_in_wrong_status_answers_403_or_409(org):
    ticket = make_ticket(org)

    response = staff(org.handler).post(detail_url(ticket, "accept"), {}, format="json")

    # a received ticket is not the handler's unit's yet: the scoped read hides it
    assert response.status_code == 404


def _in_unit_review(org):
    from tickets.tests.factories import good_results

    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    services.ticket_record_first_contact(ticket, actor=org.handler)
    services.ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解", results=good_results(ticket.kind))
    return ticket


def test_staff_review_approve_at_unit_then_section_completes(org):
    ticket = _in_unit_review(org)

    unit = staff(org.deputy).post(detail_url(ticket, "review-approve"), {"comment": "同意"}, format="json")
    section = staff(org.reviewer).post(detail_url(ticket, "review-approve"), {}, format="json")

    assert unit.json()["status"] == "section_review"
    assert section.json()["status"] == "completed"


def test_staff_review_return_needs_reason_codes(org):
    ticket = _in_unit_review(org)
    api = staff(org.deputy)

    empty = api.post(detail_url(ticket, "review-return"), {"reason_codes": []}, format="json")
    returned = api.post(detail_url(ticket, "review-return"), {"reason_codes": ["facts_unclear"]}, format="json")

    assert empty.status_code == 400
    assert returned.json()["status"] == "in_progress"


def test_staff_review_by_another_units_deputy_answers_404(org):
    ticket = _in_unit_review(org)

    response = staff(org.deputy_b).post(detail_url(ticket, "review-approve"), {}, format="json")

    assert response.status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == "unit_review"


def test_staff_review_by_the_handler_answers_403(org):
    ticket = _in_unit_review(org)

    response = staff(org.handler).post(detail_url(ticket, "review-approve"), {}, format="json")

    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).status == "unit_review"
