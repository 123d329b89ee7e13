"""GET /api/v1/staff/assisting/: the work orders the user's unit assists (协办), with its own clock and state; only
its unit's, no personal data, paged like the other staff lists, in a constant number of queries."""

import pytest
from rest_framework.test import APIClient

from org.tests.factories import make_org
from tickets import services
from tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/assisting/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def assisted(org, lead=None, unit=None):
    ticket = make_ticket(org)
    return services.ticket_dispatch(
        ticket, unit=lead or org.office_a, actor=org.dispatcher, assisting_units=[unit or org.office_b]
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_the_unit_lists_what_it_assists_in_constant_queries(org, frozen, rows, django_assert_num_queries):
    tickets = [assisted(org) for _ in range(rows)]
    client = api(org.handler_b)
    client.get(LIST)  # warm the session

    # session, user (with unit and roles), the page (assists with their work orders, lead units, clocks, categories)
    with django_assert_num_queries(3):
        response = client.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [t.pk for t in tickets]
    row = body["results"][0]
    assert (row["lead_unit"], row["assist_status"], row["status"]) == (
        {"code": "yy", "name": "岳阳所"},
        "requested",
        "dispatched",
    )
    assert row["clock"]["clock"] == "assist" and row["clock"]["status"] == "open"
    assert row["clock"]["due_at"] == row["due_at"]
    # what the limited assisting page shows: none of the citizen's data, not even masked, nor the lead's people
    text = response.content.decode()
    for absent in ("张三", "13812345678", "310101", "松江区某路1号", "complainant", "handler"):
        assert absent not in text


def test_answered_and_released_are_their_own_states(org, frozen):
    done, released, open_ = assisted(org), assisted(org), assisted(org)
    services.ticket_assist_done(done, actor=org.handler_b, findings="已核查。")
    services.ticket_assist_release(released, actor=org.dispatcher, unit=org.office_b, note="不需要")
    client = api(org.deputy_b)

    def ids(state=None):
        rows = client.get(LIST, {"state": state} if state else {}).json()["results"]
        return [(row["id"], row["assist_status"], row["clock"]["status"]) for row in rows]

    assert ids() == [(open_.pk, "requested", "open")]
    assert ids("done") == [(done.pk, "done", "met")]
    assert ids("released") == [(released.pk, "released", "cancelled")]


def test_only_the_users_unit_and_bureau(org, frozen):
    mine = assisted(org)
    other = make_org("qp")
    assisted(other)  # the other bureau's office B assists its own

    # the lead unit does not see it here (it is its own work order, in its queue), nor does another bureau's unit
    assert api(org.handler).get(LIST).json()["results"] == []
    assert api(other.handler_b).get(LIST).json()["results"] != []
    assert mine.pk not in [r["id"] for r in api(other.handler_b).get(LIST).json()["results"]]
    # nor what the unit was asked for and then released with the re-dispatch to another lead
    services.ticket_dispatch(mine, unit=org.food, actor=org.dispatcher)
    assert api(org.handler_b).get(LIST).json()["results"] == []
    # the work order's detail of another unit's: 404
    assert api(org.handler).get(f"/api/v1/staff/tickets/{assisted(org, lead=org.food).pk}/").status_code == 404


def test_not_unit_staff_is_403_and_bad_input_400(org, frozen):
    assert api(org.dispatcher).get(LIST).status_code == 403
    client = api(org.handler_b)
    for params in ({"state": "nonsense"}, {"limit": "0"}, {"offset": "-1"}, {"limit": "x"}):
        assert client.get(LIST, params).status_code == 400


def test_paged_like_the_other_lists(org, frozen):
    tickets = [assisted(org) for _ in range(3)]
    client = api(org.handler_b)

    first = client.get(LIST, {"limit": 2}).json()
    second = client.get(first["next"]).json()

    assert [r["id"] for r in first["results"] + second["results"]] == [t.pk for t in tickets]
    assert second["next"] is None
