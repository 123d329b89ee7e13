"""Input that used to answer 500: JSON nested ~950 levels deep (RecursionError), times whose offset PostgreSQL
refuses (DataError), days with no UTC moment (OverflowError). Each answers 400 with the error shape."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tickets.models import Ticket
from tickets.tests.factories import make_ticket

INTAKE = "/api/v1/hotline/tickets/"
STAFF_LIST = "/api/v1/staff/tickets/"
OPEN311_POST = "/open311/v2/requests.json"
TOO_DEEP = "JSON parse error - nested deeper than 64 levels."


def nested(depth: int) -> str:
    return '{"external_id": ' + "[" * depth + "]" * depth + "}"


@pytest.fixture
def dispatcher_api(org):
    api = APIClient()
    api.force_login(org.dispatcher)
    return api


def test_intake_json_nested_950_levels_answers_400(platform, org):
    response = platform.generic("POST", INTAKE, nested(950), content_type="application/json")

    assert response.status_code == 400
    assert (response.json()["error"]["message"], Ticket.objects.count()) == (TOO_DEEP, 0)


def test_staff_action_json_nested_950_levels_answers_400(dispatcher_api, org):
    ticket = make_ticket(org)

    response = dispatcher_api.generic(
        "POST", f"{STAFF_LIST}{ticket.pk}/dispatch/", nested(950), content_type="application/json"
    )

    assert (response.status_code, response.json()["error"]["message"]) == (400, TOO_DEEP)


def test_open311_json_nested_950_levels_answers_400(integration, org):
    response = APIClient().generic(
        "POST", f"{OPEN311_POST}?api_key={integration[1]}", nested(950), content_type="application/json"
    )

    assert (response.status_code, response.json()["error"]["message"]) == (400, TOO_DEEP)


def test_json_nested_64_levels_is_parsed_and_validated_as_usual(platform, org):
    response = platform.generic("POST", INTAKE, nested(63), content_type="application/json")  # the object is one

    assert response.status_code == 400
    assert "external_id" in response.json()["error"]["fields"]


def test_json_brackets_inside_strings_do_not_count_as_depth(platform, payload, org):
    response = platform.post(INTAKE, payload | {"content": "[" * 2000 + "{" * 2000}, format="json")

    assert response.status_code == 201


@pytest.mark.parametrize(
    "end_date", ["2026-11-28T00:00:00+23:59", "2026-11-28T00:00:00-15:00", "0001-01-01T00:00:00+08:00"]
)
def test_open311_end_date_out_of_range_answers_400(platform, org, end_date):
    response = platform.get("/open311/v2/requests.json", {"end_date": end_date})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["end_date"]


def test_open311_start_date_with_offset_beyond_fourteen_hours_answers_400(platform, org):
    response = platform.get("/open311/v2/requests.json", {"start_date": "2026-11-28T00:00:00+14:01"})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["start_date"]


def test_open311_end_date_at_fourteen_hours_offset_is_accepted(platform, org):
    response = platform.get("/open311/v2/requests.json", {"end_date": "2026-11-28T00:00:00+14:00"})

    assert (response.status_code, response.json()) == (200, [])


def test_intake_received_at_with_offset_postgresql_refuses_answers_400(platform, payload, org):
    response = platform.post(INTAKE, payload | {"received_at": "2026-11-28T09:15:00+15:30"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["received_at"]
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_staff_list_due_before_out_of_range_answers_400(dispatcher_api, org, day):
    response = dispatcher_api.get(STAFF_LIST, {"due_before": day})

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["due_before"]


def test_ticket_list_page_due_before_in_year_one_is_a_form_error(client, org):
    client.force_login(org.dispatcher)

    response = client.get(reverse("tickets:list"), {"due_before": "0001-01-01"})

    assert response.status_code == 200
    assert list(response.context["filter"].errors) == ["due_before"]
