"""Dispatch objections (派单异议): tickets.services.objections, its rule and its window in working hours."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditRecord
from notifications.models import Notification
from tickets import services
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
    assert (event.data["unit"], event.data["reason_code"], event.actor_id) == ("yy", "wrong_area", org.handler.pk)
    assert AuditRecord.objects.filter(action="ticket.objection_raised", user_id=org.handler.pk).count() == 1
    told = set(Notification.objects.filter(code="objection.raised").values_list("recipient_id", flat=True))
    assert told == {org.reviewer.pk, org.chief.pk}
    # the unit keeps working it meanwhile; nothing of the ticket changed
    assert _fresh(ticket).status == Status.ACCEPTED


def test_window_counts_working_hours_across_the_weekend(org, calendar_2026):
    just_inside, just_after = dispatched(org), dispatched(org)

    raise_objection(just_inside, org, at=WINDOW_END)
    with pytest.raises(ObjectionWindowClosed, match="return to the platform"):
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
    with pytest.raises(ObjectionRefused, match="cannot be raised again"):
        raise_objection(ticket, org, at=DISPATCHED + dt.timedelta(hours=4), actor=org.deputy)
    told = set(Notification.objects.filter(code="objection.rejected").values_list("recipient_id", flat=True))
    assert told == {org.handler.pk, org.deputy.pk, org.unit_leader.pk}


def test_one_pending_at_a_time_and_one_decision(org, calendar_2026):
    ticket = dispatched(org)
    objection = raise_objection(ticket, org)
    with pytest.raises(ObjectionRefused, match="already waiting"):
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
