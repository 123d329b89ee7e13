import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from org.tests.factories import make_org
from tickets import services
from tickets.models import Category, Ticket
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def key(integration):
    return integration[1]


def test_open311_services_are_the_categories(platform, org):
    body = platform.get("/open311/v2/services.json").json()

    assert [s["service_code"] for s in body] == sorted(
        Category.objects.filter(is_active=True).values_list("code", flat=True)
    )
    assert body[0]["type"] == "realtime"


def test_open311_requests_map_status_to_open_and_closed(platform, org):
    with time_machine.travel(NOW, tick=False):
        open_one = make_ticket(org, category=Category.objects.get(code="education"))
        returned = make_ticket(org)
        services.ticket_transition(returned, to="returned_to_platform", actor=org.chief, event="returned_to_platform")

        rows = platform.get("/open311/v2/requests.json").json()

    by_id = {row["service_request_id"]: row for row in rows}
    assert (by_id[str(open_one.pk)]["status"], by_id[str(open_one.pk)]["status_notes"]) == ("open", "received")
    assert by_id[str(open_one.pk)]["service_code"] == "education"
    assert (by_id[str(returned.pk)]["status"], by_id[str(returned.pk)]["status_notes"]) == (
        "closed",
        "returned_to_platform",
    )


def test_open311_requests_filter_by_status_and_ids(platform, org):
    with time_machine.travel(NOW, tick=False):
        first, second = make_ticket(org), make_ticket(org)

        by_ids = platform.get("/open311/v2/requests.json", {"service_request_id": f"{second.pk}"}).json()
        closed = platform.get("/open311/v2/requests.json", {"status": "closed"}).json()

    assert [row["service_request_id"] for row in by_ids] == [str(second.pk)]
    assert closed == []
    assert first.pk != second.pk


def test_open311_request_detail_and_other_bureau_404(platform, org):
    mine = make_ticket(org)
    theirs = make_ticket(make_org("qp"))

    detail = platform.get(f"/open311/v2/requests/{mine.pk}.json")
    other = platform.get(f"/open311/v2/requests/{theirs.pk}.json")

    assert [row["service_request_id"] for row in detail.json()] == [str(mine.pk)]
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"


def test_open311_post_with_api_key_creates_work_order(key, org):
    response = APIClient().post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "food", "description": "过期食品", "lat": "31.03", "long": "121.22"},
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 201
    assert response.json() == [{"service_request_id": str(ticket.pk), "service_notice": "", "account_id": None}]
    assert (ticket.bureau, ticket.category.code, ticket.content) == (org.bureau, "food", "过期食品")


def test_open311_post_needs_location_and_known_service(key, org):
    api = APIClient()

    no_location = api.post("/open311/v2/requests.json", {"api_key": key, "service_code": "food", "description": "x"})
    unknown = api.post(
        "/open311/v2/requests.json",
        {"api_key": key, "service_code": "nope", "description": "x", "address_string": "某路"},
    )

    assert (no_location.status_code, unknown.status_code) == (400, 400)
    assert list(unknown.json()["error"]["fields"]) == ["service_code"]
    assert Ticket.objects.count() == 0


def test_open311_wrong_api_key_answers_401(org):
    response = APIClient().get("/open311/v2/services.json", {"api_key": "wrong"})

    assert response.status_code == 401


def test_open311_staff_session_answers_403(org):
    api = APIClient()
    api.force_login(org.dispatcher)

    response = api.get("/open311/v2/requests.json")

    assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_open311_requests_query_count_is_constant(platform, org, rows, django_assert_num_queries):
    with time_machine.travel(NOW, tick=False):
        for _ in range(rows):
            make_ticket(org)

        with django_assert_num_queries(2):
            response = platform.get("/open311/v2/requests.json")

    assert len(response.json()) == rows


@pytest.mark.parametrize("format_", ["multipart", "form"])
def test_open311_body_over_one_mebibyte_answers_413(key, org, format_):
    from urllib.parse import urlencode

    data = {"api_key": key, "service_code": "food", "description": "x" * (1024 * 1024 + 10), "address_string": "某路"}
    api = APIClient()
    if format_ == "form":
        response = api.generic(
            "POST", "/open311/v2/requests.json", urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = api.post("/open311/v2/requests.json", data)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
