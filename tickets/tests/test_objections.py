"""Dispatch objections (派单异议): tickets.services.objections, its rule and its window in working hours."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from audit.models import AuditRecord
from core.testing import IN_CI, need
from notifications.models import Notification
from org.tests.factories import make_org
from tickets import services, timeline
from tickets.choices import AttachmentPurpose, ObjectionStatus, Status
from tickets.models import DispatchObjection, Ticket
from tickets.services import ObjectionAlreadyDecided, ObjectionRefused, ObjectionWindowClosed
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

# A Friday of March 2026 (no holiday near it): 24 working hours run to Monday 10:00, the weekend off.
DISPATCHED = dt.datetime(2026, 3, 6, 10, 0, tzinfo=SHANGHAI)
WINDOW_END = dt.datetime(2026, 3, 9, 10, 0, tzinfo=SHANGHAI)
RECEIVED = dt.datetime(2026, 3, 6, 9, 0, tzinfo=SHANGHAI)


def _fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


def dispatched(org, *, accept=True):
    ticket = make_ticket(org, received_at=RECEIVED)
    with time_machine.travel(DISPATCHED, tick=False):
        services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
        if accept:
            services.ticket_accept(ticket, actor=org.handler)
    return _fresh(ticket)


def raise_objection(ticket, org, *, at=DISPATCHED + dt.timedelta(hours=2), actor=None, **extra):
    with time_machine.travel(at, tick=False):
        return services.ticket_object(
            _fresh(ticket),
            actor=actor or org.handler,
            reason_code=extra.pop("reason_code", "wrong_area"),
            text=extra.pop("text", "地址在方松街道，不属本辖区。"),
            **extra,
        )


def test_raised_within_the_window_waits_for_the_section_and_is_on_the_timeline(org, calendar_2026):
    ticket = dispatched(org)
    photo = SimpleUploadedFile("门牌.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png")

    objection = raise_objection(ticket, org, files=[photo])

    assert (objection.status, objection.unit_id, objection.dispatched_at) == ("pending", org.office_a.pk, DISPATCHED)
    assert [a.purpose for a in objection.evidence.all()] == [AttachmentPurpose.OBJECTION]
    event = ticket.events.get(code="objection_raised")
    assert (event.data["objecting_unit"], event.data["objection_reason"], event.actor_id) == (
        "yy",
        "wrong_area",
        org.handler.pk,
    )
    assert timeline.event_details(event, {"yy": "岳阳所"}) == [
        "岳阳所的异议",
        "不属本辖区",
        "地址在方松街道，不属本辖区。",
    ]
    assert AuditRecord.objects.filter(action="ticket.objection_raised", user_id=org.handler.pk).count() == 1
    told = set(Notification.objects.filter(code="objection.raised").values_list("recipient_id", flat=True))
    assert told == {org.reviewer.pk, org.chief.pk}
    # the unit keeps working it meanwhile; nothing of the ticket changed
    assert _fresh(ticket).status == Status.ACCEPTED


def test_window_counts_working_hours_across_the_weekend(org, calendar_2026):
    just_inside, just_after = dispatched(org), dispatched(org)

    raise_objection(just_inside, org, at=WINDOW_END)
    with pytest.raises(ObjectionWindowClosed, match="退回平台|return to the platform"):
        raise_objection(just_after, org, at=WINDOW_END + dt.timedelta(seconds=1))

    assert DispatchObjection.objects.filter(ticket=just_after).count() == 0
    # the rule that offers the form says the same
    with time_machine.travel(WINDOW_END, tick=False):
        assert not org.handler.has_perm("tickets.object_to_dispatch", _fresh(just_inside))  # pending already
    with time_machine.travel(WINDOW_END - dt.timedelta(seconds=1), tick=False):
        assert org.handler.has_perm("tickets.object_to_dispatch", _fresh(just_after))
    with time_machine.travel(WINDOW_END + dt.timedelta(seconds=1), tick=False):
        assert not org.handler.has_perm("tickets.object_to_dispatch", _fresh(just_after))


def test_who_may_object(org, calendar_2026):
    ticket = dispatched(org, accept=False)
    with time_machine.travel(DISPATCHED + dt.timedelta(hours=1), tick=False):
        ticket = _fresh(ticket)
        assert org.handler.has_perm("tickets.object_to_dispatch", ticket)
        assert org.deputy.has_perm("tickets.object_to_dispatch", ticket)
        assert not org.handler_b.has_perm("tickets.object_to_dispatch", ticket)  # another unit
        assert not org.dispatcher.has_perm("tickets.object_to_dispatch", ticket)
        assert not org.reviewer.has_perm("tickets.object_to_dispatch", ticket)
    with pytest.raises(ObjectionRefused):
        raise_objection(ticket, org, actor=org.handler_b)


def test_upheld_redispatches_through_the_dispatch_service_and_the_clocks_run_on(org, calendar_2026):
    ticket = dispatched(org)
    clocks = {c.clock: (c.status, c.due_at, c.starts_at) for c in ticket.clocks.all()}
    objection = raise_objection(ticket, org, at=dt.datetime(2026, 3, 6, 12, 0, tzinfo=SHANGHAI))

    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 0, tzinfo=SHANGHAI), tick=False):
        services.objection_decide(objection, actor=org.reviewer, decision="uphold", unit=org.office_b, reason="属方松")

    objection.refresh_from_db()
    assert (objection.status, objection.new_unit_id, objection.decided_by_id) == (
        "upheld",
        org.office_b.pk,
        org.reviewer.pk,
    )
    # Friday 12:00 to Monday 09:00: 12 working hours on Friday, 9 on Monday
    assert objection.decision_working_minutes == 21 * 60
    ticket = _fresh(ticket)
    assert (ticket.status, ticket.unit_id, ticket.handler_id) == (Status.DISPATCHED, org.office_b.pk, None)
    codes = list(ticket.events.order_by("pk").values_list("code", flat=True))
    assert codes[-4:] == ["accepted", "objection_raised", "objection_upheld", "redispatched"]
    redispatch = ticket.events.get(code="redispatched")
    assert (redispatch.data["from_unit"], redispatch.data["unit"]) == ("yy", "fs")
    assert {c.clock: (c.status, c.due_at, c.starts_at) for c in ticket.clocks.all()} == clocks
    assert AuditRecord.objects.get(action="ticket.objection_decided").data["decision"] == "upheld"
    told = set(Notification.objects.filter(code="objection.upheld").values_list("recipient_id", flat=True))
    assert told == {org.handler.pk, org.deputy.pk, org.unit_leader.pk}
    # the new unit signs for it as any dispatch
    assert org.handler_b.has_perm("tickets.accept_ticket", ticket)


def test_rejected_the_unit_keeps_it_and_cannot_object_again(org, calendar_2026):
    ticket = dispatched(org)
    objection = raise_objection(ticket, org)

    with time_machine.travel(DISPATCHED + dt.timedelta(hours=3), tick=False):
        services.objection_decide(objection, actor=org.chief, decision="reject", reason="门牌属岳阳街道")
        objection.refresh_from_db()
        assert (objection.status, objection.decision_reason, objection.new_unit_id) == (
            "rejected",
            "门牌属岳阳街道",
            None,
        )
        ticket = _fresh(ticket)
        assert (ticket.status, ticket.unit_id, ticket.handler_id) == (Status.ACCEPTED, org.office_a.pk, org.handler.pk)
        assert ticket.events.filter(code="objection_rejected").count() == 1
        assert not org.handler.has_perm("tickets.object_to_dispatch", ticket)
    with pytest.raises(ObjectionRefused, match="不得再次提出|cannot be raised again"):
        raise_objection(ticket, org, at=DISPATCHED + dt.timedelta(hours=4), actor=org.deputy)
    told = set(Notification.objects.filter(code="objection.rejected").values_list("recipient_id", flat=True))
    assert told == {org.handler.pk, org.deputy.pk, org.unit_leader.pk}


def test_one_pending_at_a_time_and_one_decision(org, calendar_2026):
    ticket = dispatched(org)
    objection = raise_objection(ticket, org)
    with pytest.raises(ObjectionRefused, match="待审核|already waiting"):
        raise_objection(ticket, org, actor=org.deputy)

    services.objection_decide(objection, actor=org.reviewer, decision="reject", reason="不予支持")
    with pytest.raises(ObjectionAlreadyDecided):
        services.objection_decide(objection, actor=org.chief, decision="uphold", unit=org.office_b)
    assert _fresh(ticket).unit_id == org.office_a.pk


def test_bad_input_is_a_validation_error(org, calendar_2026):
    ticket = dispatched(org)
    with pytest.raises(ValidationError):
        raise_objection(ticket, org, reason_code="bogus")
    with pytest.raises(ValidationError):
        raise_objection(ticket, org, text="   ")
    objection = raise_objection(ticket, org)
    for kwargs in (
        {"decision": "maybe"},
        {"decision": "reject", "reason": " "},
        {"decision": "uphold"},
        {"decision": "uphold", "unit": org.office_a},
    ):
        with pytest.raises(ValidationError):
            services.objection_decide(objection, actor=org.reviewer, **kwargs)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_only_while_the_unit_may_be_relieved_of_it(org, calendar_2026):
    ticket = make_ticket(org, received_at=RECEIVED)
    with pytest.raises(ObjectionRefused):  # never dispatched: with no unit
        raise_objection(ticket, org)


# ---------------------------------------------------------------- the pages


def test_the_unit_objects_on_the_ticket_page_and_the_section_upholds_from_its_list(client, org, calendar_2026):
    ticket = dispatched(org)
    inside = DISPATCHED + dt.timedelta(hours=1)
    with time_machine.travel(inside, tick=False):
        client.force_login(org.handler)
        page = client.get(reverse("tickets:detail", args=[ticket.pk]))
        assert b'id="form-objection"' in page.content
        photo = SimpleUploadedFile("门牌.jpg", b"\xff\xd8\xff" + b"0" * 32, content_type="image/jpeg")
        answer = client.post(
            reverse("tickets:objection", args=[ticket.pk]),
            {
                "objection-version": _fresh(ticket).version,
                "objection-reason_code": "wrong_area",
                "objection-text": "不属本辖区",
                "objection-files": [photo],
            },
        )
        assert answer.status_code == 302
        objection = DispatchObjection.objects.get(ticket=ticket)
        assert objection.evidence.count() == 1
        assert b'id="form-objection"' not in client.get(reverse("tickets:detail", args=[ticket.pk])).content

        client.force_login(org.reviewer)
        listing = client.get(reverse("tickets:objections"))
        assert listing.status_code == 200 and ticket.external_id.encode() in listing.content
        answer = client.post(
            reverse("tickets:objection_decide", args=[objection.pk]),
            {"decision": "uphold", "unit": org.office_b.pk, "reason": "属方松", "back": "list"},
        )
        assert answer.status_code == 302 and answer.url == reverse("tickets:objections")
    assert _fresh(ticket).unit_id == org.office_b.pk
    # a second decision: a message, no change, no error page
    answer = client.post(
        reverse("tickets:objection_decide", args=[objection.pk]), {"decision": "reject", "reason": "x"}
    )
    assert answer.status_code == 302
    objection.refresh_from_db()
    assert objection.status == "upheld"


def test_after_the_window_the_page_says_to_ask_for_a_return(client, org, calendar_2026):
    ticket = dispatched(org)
    with time_machine.travel(WINDOW_END + dt.timedelta(minutes=1), tick=False):
        client.force_login(org.handler)
        assert b'id="form-objection"' not in client.get(reverse("tickets:detail", args=[ticket.pk])).content
        answer = client.post(
            reverse("tickets:objection", args=[ticket.pk]),
            {"objection-version": ticket.version, "objection-reason_code": "other", "objection-text": "x"},
        )
    assert answer.status_code == 409
    assert "退回平台".encode() in answer.content
    assert not DispatchObjection.objects.exists()


def test_pages_refuse_who_may_not_and_hide_another_bureaus(client, org, calendar_2026):
    ticket = dispatched(org)
    objection = raise_objection(ticket, org)
    client.force_login(org.handler)
    assert client.get(reverse("tickets:objections")).status_code == 403
    assert (
        client.post(reverse("tickets:objection_decide", args=[objection.pk]), {"decision": "reject"}).status_code == 403
    )
    other = make_org("other")
    client.force_login(other.reviewer)
    assert (
        client.post(reverse("tickets:objection_decide", args=[objection.pk]), {"decision": "reject"}).status_code == 404
    )
    client.force_login(org.reviewer)
    # bad input: a message, nothing decided
    for data in (
        {"decision": "uphold"},
        {"decision": "reject"},
        {"decision": "x"},
        {"decision": "uphold", "unit": "abc"},
    ):
        assert client.post(reverse("tickets:objection_decide", args=[objection.pk]), data).status_code == 302
    objection.refresh_from_db()
    assert objection.status == "pending"


# ---------------------------------------------------------------- the staff API


def _api(user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(user)
    return api


def test_api_objection_and_both_decisions(org, calendar_2026):
    first, second = dispatched(org), dispatched(org)
    with time_machine.travel(DISPATCHED + dt.timedelta(hours=1), tick=False):
        unit = _api(org.handler)
        upload = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png")
        attachment_id = unit.post(
            f"/api/v1/staff/tickets/{first.pk}/attachments/", {"file": upload, "purpose": "evidence"}
        ).json()["id"]
        answer = unit.post(
            f"/api/v1/staff/tickets/{first.pk}/objection/",
            {"reason_code": "not_competent", "text": "非本单位职责", "evidence": [attachment_id]},
            format="json",
        )
        assert answer.status_code == 201, answer.content
        body = answer.json()
        assert (body["status"], body["unit"]["code"], body["evidence"]) == ("pending", "yy", [attachment_id])
        assert body["window_ends_at"].startswith("2026-03-09T10:00:00")
        # one pending at a time
        again = unit.post(
            f"/api/v1/staff/tickets/{first.pk}/objection/", {"reason_code": "other", "text": "x"}, format="json"
        )
        assert again.status_code == 409
        second_id = unit.post(
            f"/api/v1/staff/tickets/{second.pk}/objection/", {"reason_code": "other", "text": "x"}, format="json"
        ).json()["id"]

    section = _api(org.reviewer)
    pending = section.get("/api/v1/staff/objections/").json()["results"]
    assert [row["id"] for row in pending] == [body["id"], second_id]
    upheld = section.post(
        f"/api/v1/staff/objections/{body['id']}/decide/", {"decision": "uphold", "unit": org.office_b.pk}, format="json"
    )
    assert upheld.status_code == 200, upheld.content
    assert (upheld.json()["status"], upheld.json()["new_unit"]["code"]) == ("upheld", "fs")
    assert _fresh(first).unit_id == org.office_b.pk
    # a second decision: 409
    twice = section.post(
        f"/api/v1/staff/objections/{body['id']}/decide/", {"decision": "reject", "reason": "不"}, format="json"
    )
    assert twice.status_code == 409
    rejected = section.post(
        f"/api/v1/staff/objections/{second_id}/decide/", {"decision": "reject", "reason": "属本辖区"}, format="json"
    )
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    assert _fresh(second).unit_id == org.office_a.pk
    # rejected: not again (409)
    with time_machine.travel(DISPATCHED + dt.timedelta(hours=2), tick=False):
        again = _api(org.deputy).post(
            f"/api/v1/staff/tickets/{second.pk}/objection/", {"reason_code": "other", "text": "y"}, format="json"
        )
    assert again.status_code == 409


def test_api_refusals_and_bad_input(org, calendar_2026):
    ticket = dispatched(org)
    url = f"/api/v1/staff/tickets/{ticket.pk}/objection/"
    with time_machine.travel(WINDOW_END + dt.timedelta(seconds=1), tick=False):
        late = _api(org.handler).post(url, {"reason_code": "other", "text": "x"}, format="json")
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["code"] == "objection_window_closed" and (
        "退回平台" in error["message"] or "return" in error["message"]
    )
    with time_machine.travel(DISPATCHED + dt.timedelta(hours=1), tick=False):
        assert _api(org.dispatcher).post(url, {"reason_code": "other", "text": "x"}, format="json").status_code == 403
        assert _api(org.handler_b).post(url, {"reason_code": "other", "text": "x"}, format="json").status_code == 404
        unit = _api(org.handler)
        for body in (
            {},
            {"reason_code": "bogus", "text": "x"},
            {"reason_code": "other", "text": ""},
            [1, 2],
            {"reason_code": "other", "text": "x", "evidence": [999999]},
            {"reason_code": "other", "text": "x", "evidence": "abc"},
        ):
            assert unit.post(url, body, format="json").status_code == 400, body
        objection_id = unit.post(url, {"reason_code": "other", "text": "x"}, format="json").json()["id"]
    decide = f"/api/v1/staff/objections/{objection_id}/decide/"
    assert _api(org.handler).post(decide, {"decision": "reject", "reason": "x"}, format="json").status_code == 403
    assert _api(org.dispatcher).get("/api/v1/staff/objections/").status_code == 403
    other = make_org("other")
    assert _api(other.reviewer).post(decide, {"decision": "reject", "reason": "x"}, format="json").status_code == 404
    assert _api(other.reviewer).get("/api/v1/staff/objections/").json()["results"] == []
    section = _api(org.reviewer)
    for body in (
        {},
        {"decision": "maybe"},
        {"decision": "reject"},
        {"decision": "uphold"},
        {"decision": "uphold", "unit": other.office_b.pk},
        {"decision": "uphold", "unit": org.office_a.pk},
        {"decision": "uphold", "unit": "x"},
        "text",
    ):
        assert section.post(decide, body, format="json").status_code == 400, body
    assert _api(org.reviewer).post("/api/v1/staff/objections/0/decide/", {}, format="json").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql" and not IN_CI, reason="needs PostgreSQL (DATABASE_URL=postgres://...)"
)
def test_two_decisions_at_once_one_wins_the_other_is_409(reference_data):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    from workdays.services import calendar_load_year

    calendar_load_year(2026)
    org = make_org()
    objection = raise_objection(dispatched(org), org)
    barrier = threading.Barrier(2)
    codes = []

    def decide(user, body):
        from django.db import connections

        try:
            api = _api(user)
            barrier.wait(timeout=30)
            codes.append(api.post(f"/api/v1/staff/objections/{objection.pk}/decide/", body, format="json").status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(org.reviewer, {"decision": "uphold", "unit": org.office_b.pk})),
        threading.Thread(target=decide, args=(org.chief, {"decision": "reject", "reason": "不予支持"})),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [200, 409]
    objection.refresh_from_db()
    ticket = Ticket.objects.get(pk=objection.ticket_id)
    assert ticket.events.filter(code__in=["objection_upheld", "objection_rejected"]).count() == 1
    assert (ticket.unit_id == org.office_b.pk) == (objection.status == "upheld")
