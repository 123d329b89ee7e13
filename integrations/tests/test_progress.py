import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from org.tests.factories import make_org
from tickets import services
from tickets.models import Escalation, Ticket, TicketEvent
from tickets.tests.factories import good_results, make_ticket
from workdays.calendar import SHANGHAI

URL = "/api/v1/hotline/tickets/{}/{}/"
UPDATES = "/api/v1/hotline/updates/"


def progress(api, ticket, suffix=""):
    return api.get(URL.format(ticket.source, ticket.external_id) + suffix)


def complete(ticket, org):
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    services.ticket_record_first_contact(ticket, actor=org.handler)
    services.ticket_submit_reply(
        ticket, actor=org.handler, reply_text="已调解，退还学费。", results=good_results(ticket.kind)
    )
    services.ticket_transition(ticket, to="section_review", actor=org.deputy, event="unit_approved")
    return services.ticket_complete(ticket, actor=org.chief)


def test_progress_shows_status_unit_and_met_deadlines(platform, org):
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    services.ticket_record_first_contact(ticket, actor=org.handler)

    body = progress(platform, ticket).json()

    assert body["status"] == "in_progress"
    assert body["unit"] == {"code": "yy", "name": "岳阳所"}
    first_contact = next(d for d in body["deadlines"] if d["clock"] == "first_contact")
    assert first_contact["status"] == "met"
    assert first_contact["met_at"].endswith("+08:00")
    assert [e["code"] for e in body["events"]] == ["received", "dispatched", "accepted", "first_contact"]
    assert body["outcome"] is None


def test_progress_hides_internal_events_and_staff_data(platform, org):
    ticket = make_ticket(org)
    services.ticket_reveal_personal_data(ticket, actor=org.dispatcher, field="complainant_phone")

    body = progress(platform, ticket).json()

    assert body["events"] == [{"code": "received", "at": body["events"][0]["at"]}]
    assert "13812345678" not in str(body)


def test_progress_leaves_out_the_bureaus_own_alert_consultation_and_supervision(platform, org):
    ticket = make_ticket(org)
    services.events_write(
        [ticket.pk], "alert_consulted", actor=org.chief, data={"alert_id": 1, "reply_line": "统一口径"}
    )
    services.event_write(ticket, "supervision_updated", actor=org.chief, data={"note": "督办"})
    services.event_write(ticket, "urged", actor=None, data={})

    body = progress(platform, ticket).json()

    assert [event["code"] for event in body["events"]] == ["received", "urged"]
    assert "统一口径" not in str(body) and "督办" not in str(body)


def test_progress_shows_outcome_once_completed(platform, org):
    ticket = complete(make_ticket(org), org)

    body = progress(platform, ticket).json()

    assert body["status"] == "completed"
    assert body["outcome"] == {
        "finding": "substantiated",
        "reply": "已调解，退还学费。",
        "case_number": "",
        "tracks": [{"track": "complaint", "finding": "substantiated", "outcome": "mediated", "case_number": ""}],
    }


def test_progress_of_merged_order_follows_its_master(platform, org):
    master = complete(make_ticket(org), org)
    merged = make_ticket(org)
    Ticket.objects.filter(pk=merged.pk).update(merged_into=master)

    body = progress(platform, merged).json()

    assert body["merged_into"] == {"source": master.source, "external_id": master.external_id}
    assert body["status"] == "completed"
    assert body["outcome"]["reply"] == "已调解，退还学费。"


def test_progress_lists_each_deadline_once_and_escalations_by_deadline_then_tier(platform, org):
    ticket = make_ticket(org)
    first_contact, reply = ticket.clocks.get(clock="first_contact"), ticket.clocks.get(clock="reply")
    fired = dt.datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI)
    Escalation.objects.create(clock=reply, tier=1, fired_at=fired)
    Escalation.objects.create(clock=first_contact, tier=2, fired_at=fired)
    Escalation.objects.create(clock=first_contact, tier=1, is_skipped=True)

    body = progress(platform, ticket).json()

    assert [d["clock"] for d in body["deadlines"]] == list(
        ticket.clocks.order_by("due_at", "id").values_list("clock", flat=True)
    )
    assert body["escalations"] == [
        {"clock": "first_contact", "tier": 1, "fired_at": None, "skipped": True},
        {"clock": "first_contact", "tier": 2, "fired_at": "2026-10-12T09:00:00+08:00", "skipped": False},
        {"clock": "reply", "tier": 1, "fired_at": "2026-10-12T09:00:00+08:00", "skipped": False},
    ]


@pytest.mark.parametrize(("state", "queries"), [("open", 3), ("completed", 3), ("merged", 4)])
def test_progress_query_count(platform, org, state, queries, django_assert_num_queries):
    ticket = make_ticket(org)
    if state == "completed":
        complete(ticket, org)
    if state == "merged":
        Ticket.objects.filter(pk=ticket.pk).update(merged_into=complete(make_ticket(org), org))

    platform.get(UPDATES)  # loads the per-process copy of the keys
    # the work order with its own tracks; the deadlines with their escalations; the timeline (a merged
    # one: and its master with its tracks)
    with django_assert_num_queries(queries):
        response = progress(platform, ticket)

    assert response.status_code == 200


def test_progress_of_another_bureaus_order_answers_404(platform, org):
    other = make_org("qp")
    ticket = make_ticket(other)

    response = progress(platform, ticket)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_progress_unknown_order_answers_404(platform):
    response = platform.get(URL.format("12345", "nope"))

    assert response.status_code == 404


def test_urge_records_event_on_timeline(platform, org):
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI), tick=False):
        ticket = make_ticket(org)

    response = platform.post(
        URL.format(ticket.source, ticket.external_id) + "urge/",
        {"message": "请尽快处理", "urged_at": "2026-10-01T09:00:00+08:00"},
        format="json",
    )

    event = TicketEvent.objects.get(ticket=ticket, code="urged")
    assert response.status_code == 201
    assert event.data == {"message": "请尽快处理", "by": "12345 platform"}
    assert event.at == dt.datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)
    assert [e["code"] for e in response.json()["events"]] == ["received", "urged"]


def test_urge_in_the_future_answers_400(platform, org):
    ticket = make_ticket(org)

    response = platform.post(
        URL.format(ticket.source, ticket.external_id) + "urge/",
        {"urged_at": "2099-01-01T00:00:00+08:00"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["urged_at"]
    assert TicketEvent.objects.filter(code="urged").count() == 0


def test_urge_another_bureaus_order_answers_404(platform, org):
    ticket = make_ticket(make_org("qp"))

    response = platform.post(URL.format(ticket.source, ticket.external_id) + "urge/", {}, format="json")

    assert response.status_code == 404
    assert TicketEvent.objects.filter(code="urged").count() == 0


def test_callback_unsatisfied_reopens_and_same_body_again_records_nothing(platform, org):
    ticket = complete(make_ticket(org), org)
    url = URL.format(ticket.source, ticket.external_id) + "callback/"
    body = {"satisfaction": "unsatisfied", "resolved": "unresolved", "comment": "没退钱"}

    first = platform.post(url, body, format="json")
    again = platform.post(url, body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert (first.json()["recorded"], again.json()["recorded"]) == (True, False)
    assert again.json()["ticket"]["status"] == "reopened"
    assert "redo" in {d["clock"] for d in again.json()["ticket"]["deadlines"]}


def test_callback_without_satisfaction_answers_400(platform, org):
    ticket = make_ticket(org)

    response = platform.post(URL.format(ticket.source, ticket.external_id) + "callback/", {}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["satisfaction"]


def test_updates_feed_lists_every_status_change_in_order_with_reply(platform, org):
    ticket = complete(make_ticket(org), org)

    results = platform.get(UPDATES).json()["results"]

    assert [r["status"] for r in results] == [
        "received",
        "dispatched",
        "accepted",
        "in_progress",
        "unit_review",
        "section_review",
        "completed",
    ]
    assert [r["update_id"] for r in results] == sorted(r["update_id"] for r in results)
    assert results[-1]["reply"] == "已调解，退还学费。"
    assert "reply" not in results[0]
    assert results[0]["external_id"] == ticket.external_id


def test_updates_feed_after_and_next_page(platform, org):
    tickets = [make_ticket(org) for _ in range(3)]

    first = platform.get(UPDATES, {"limit": 2}).json()
    second = platform.get(first["next"]).json()

    assert [r["external_id"] for r in first["results"] + second["results"]] == [t.external_id for t in tickets]
    assert first["next"].startswith("http://testserver/api/v1/hotline/updates/?after=")
    assert second["next"] is None


def test_updates_feed_leaves_out_other_bureaus_and_walk_ins(platform, org):
    make_ticket(make_org("qp"))
    make_ticket(org, source="walk_in")

    assert platform.get(UPDATES).json() == {"results": [], "next": None}


@pytest.mark.parametrize("query", [{"after": "x"}, {"after": "-1"}, {"limit": "0"}, {"limit": "501"}])
def test_updates_feed_bad_parameters_answer_400(platform, org, query):
    response = platform.get(UPDATES, query)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == list(query)


@pytest.mark.parametrize("rows", [1, 3])
def test_updates_feed_query_count_is_constant(platform, org, rows, django_assert_num_queries):
    for _ in range(rows):
        make_ticket(org)

    # the clients' keys (loaded once per process and kept), then the page
    with django_assert_num_queries(2):
        response = platform.get(UPDATES)

    assert len(response.json()["results"]) == rows


def test_updates_feed_refuses_staff_session(org):
    api = APIClient()
    api.force_login(org.chief)

    response = api.get(UPDATES)

    assert response.status_code == 403


def test_time_answers_are_in_shanghai(platform, org):
    with time_machine.travel(dt.datetime(2026, 9, 30, 2, 0, tzinfo=dt.UTC), tick=False):
        ticket = make_ticket(org)

    body = progress(platform, ticket).json()

    assert body["received_at"] == "2026-09-30T10:00:00+08:00"
    assert body["events"][0]["at"] == "2026-09-30T10:00:00+08:00"


def test_callback_on_open_order_answers_409_and_records_nothing(platform, org):
    ticket = make_ticket(org)

    response = platform.post(
        URL.format(ticket.source, ticket.external_id) + "callback/", {"satisfaction": "satisfied"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert TicketEvent.objects.filter(ticket=ticket, code="callback").count() == 0


def test_callback_on_another_bureaus_order_answers_404(platform, org):
    ticket = make_ticket(make_org("qp"))

    response = platform.post(
        URL.format(ticket.source, ticket.external_id) + "callback/", {"satisfaction": "satisfied"}, format="json"
    )

    assert response.status_code == 404
    assert TicketEvent.objects.filter(code="callback").count() == 0
