import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.testing import need
from tickets import services
from tickets.choices import TRANSITIONS, Clock, ClockStatus, Kind, Outcome, RequestKind, Status, Track
from tickets.models import StatusUpdate, Ticket, TicketEvent
from tickets.services import (
    TicketConflict,
    TrackResult,
    TransitionNotAllowed,
    request_decide,
    ticket_accept,
    ticket_complete,
    ticket_dispatch,
    ticket_pause_clocks,
    ticket_record_first_contact,
    ticket_reopen,
    ticket_request_extension,
    ticket_request_return,
    ticket_resume_clocks,
    ticket_submit_reply,
    ticket_transition,
)
from tickets.tests.factories import good_results, make_ticket
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

ALL_PAIRS = [(a, b) for a in Status.values for b in Status.values if a != b]


def force_status(ticket, status):
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    ticket.refresh_from_db()


@pytest.mark.parametrize(("current", "to"), ALL_PAIRS)
def test_transition_table_is_enforced(org, current, to):
    ticket = make_ticket(org)
    force_status(ticket, current)

    if to in TRANSITIONS[current]:
        ticket_transition(ticket, to=to, actor=org.dispatcher, event="test")
        ticket.refresh_from_db()
        assert ticket.status == to
        assert ticket.events.filter(code="test").count() == 1
    else:
        with pytest.raises(TransitionNotAllowed):
            ticket_transition(ticket, to=to, actor=org.dispatcher, event="test")
        ticket.refresh_from_db()
        assert ticket.status == current
        assert ticket.events.filter(code="test").count() == 0


def test_transition_to_same_status_without_changes_is_a_no_op(org):
    ticket = make_ticket(org)
    version = ticket.version

    ticket_transition(ticket, to=Status.RECEIVED, actor=org.dispatcher, event="noop")

    ticket.refresh_from_db()
    assert ticket.version == version
    assert not ticket.events.filter(code="noop").exists()


def test_transition_writes_event_and_outbox_in_order(org, calendar_2026):
    ticket = make_ticket(org)

    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    ticket_accept(ticket, actor=org.handler)

    updates = list(StatusUpdate.objects.filter(ticket=ticket).values_list("status", flat=True))
    assert updates == ["received", "dispatched", "accepted"]
    assert list(ticket.events.values_list("code", flat=True)) == ["received", "dispatched", "accepted"]


def test_stale_version_is_a_conflict_and_changes_nothing(org, calendar_2026):
    ticket = make_ticket(org)
    stale = ticket.version
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, expected_version=stale)

    with pytest.raises(TicketConflict):
        ticket_dispatch(ticket, unit=org.office_b, actor=org.dispatcher, expected_version=stale)

    ticket.refresh_from_db()
    assert ticket.unit == org.office_a
    assert ticket.events.filter(code="redispatched").count() == 0


def test_dispatch_again_from_a_stale_copy_to_the_same_unit_writes_nothing(org, calendar_2026):
    ticket = make_ticket(org)
    stale = Ticket.objects.get(pk=ticket.pk)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    again = ticket_dispatch(stale, unit=org.office_a, actor=org.dispatcher)

    assert (again.status, again.version) == (Status.DISPATCHED, ticket.version)
    assert list(ticket.events.values_list("code", flat=True)) == ["received", "dispatched"]


def test_dispatch_from_a_stale_copy_to_another_unit_is_recorded_as_a_redispatch(org, calendar_2026):
    ticket = make_ticket(org)
    stale = Ticket.objects.get(pk=ticket.pk)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    ticket_dispatch(stale, unit=org.office_b, actor=org.dispatcher)

    redispatch = ticket.events.get(code="redispatched")
    assert (redispatch.data["from_unit"], redispatch.data["unit"]) == (org.office_a.code, org.office_b.code)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_changing_one_ticket_at_once_one_wins(org):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (set DATABASE_URL)")
    ticket = make_ticket(org)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    version = Ticket.objects.get(pk=ticket.pk).version
    barrier = threading.Barrier(2)
    outcomes = []

    def sign(user):
        from django.db import connections

        try:
            barrier.wait()
            ticket_accept(Ticket.objects.get(pk=ticket.pk), actor=user, expected_version=version)
            outcomes.append("won")
        except (TicketConflict, TransitionNotAllowed):
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(u,)) for u in (org.handler, org.deputy)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "won"]
    assert TicketEvent.objects.filter(ticket=ticket, code="accepted").count() == 1


def test_dispatch_to_unit_of_other_bureau_is_refused(org, calendar_2026):
    from org.tests.factories import make_org

    other = make_org("other")
    ticket = make_ticket(org)

    with pytest.raises(ValidationError):
        ticket_dispatch(ticket, unit=other.office_a, actor=org.dispatcher)


def test_redispatch_keeps_history_and_clears_handler(org, calendar_2026):
    ticket = make_ticket(org)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    ticket_accept(ticket, actor=org.handler)

    ticket_dispatch(ticket, unit=org.office_b, actor=org.dispatcher, note="属方松辖区")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.unit, ticket.handler) == (Status.DISPATCHED, org.office_b, None)
    redispatch = ticket.events.get(code="redispatched")
    assert redispatch.data == {"unit": "fs", "from_unit": "yy", "note": "属方松辖区"}


def test_reclassifying_a_complaint_as_composite_adds_report_track_and_clock(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.COMPLAINT)

    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, kind=Kind.COMPOSITE)

    assert sorted(ticket.tracks.values_list("track", flat=True)) == ["complaint", "report"]
    verification = ticket.clocks.get(clock=Clock.VERIFICATION)
    assert verification.due_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 27)


def test_first_contact_meets_its_clock(org, calendar_2026):
    ticket = make_ticket(org)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    ticket_accept(ticket, actor=org.handler)

    ticket_record_first_contact(ticket, actor=org.handler, note="电话联系")

    clock = ticket.clocks.get(clock=Clock.FIRST_CONTACT)
    assert clock.status == ClockStatus.MET
    assert ticket.status == Status.IN_PROGRESS


def handled(org, kind=Kind.COMPLAINT):
    ticket = make_ticket(org, kind=kind)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    ticket_accept(ticket, actor=org.handler)
    ticket_record_first_contact(ticket, actor=org.handler)
    return ticket


def test_composite_reply_needs_both_tracks(org, calendar_2026):
    ticket = handled(org, Kind.COMPOSITE)
    only_complaint = {Track.COMPLAINT: good_results(Kind.COMPOSITE)[Track.COMPLAINT]}

    with pytest.raises(ValidationError) as error:
        ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解", results=only_complaint)

    assert set(error.value.message_dict) == {"report_finding", "report_outcome"}


def test_composite_reply_records_both_findings_and_meets_clocks(org, calendar_2026):
    ticket = handled(org, Kind.COMPOSITE)

    ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解并立案", results=good_results(Kind.COMPOSITE))

    tracks = {t.track: (t.finding, t.outcome, t.case_number) for t in ticket.tracks.all()}
    assert tracks == {
        "complaint": ("substantiated", "mediated", ""),
        "report": ("substantiated", "case_opened", "沪市监松处〔2026〕001号"),
    }
    statuses = dict(ticket.clocks.values_list("clock", "status"))
    assert statuses["acceptance"] == statuses["verification"] == ClockStatus.MET
    assert statuses["reply"] == ClockStatus.OPEN
    # A real-name reporter must be told of the filing decision within 5 working days.
    assert statuses["reporter_notice"] == ClockStatus.OPEN
    assert ticket.status == Status.UNIT_REVIEW


@pytest.mark.parametrize(
    ("result", "field"),
    [
        (TrackResult(finding="unsubstantiated", outcome=Outcome.NOT_ACCEPTED), "complaint_grounds"),
        (TrackResult(finding="substantiated", outcome=Outcome.MEDIATED), "complaint_is_violation_suspected"),
        (
            TrackResult(finding="substantiated", outcome=Outcome.MEDIATED, is_violation_suspected=True),
            "complaint_grounds",
        ),
        (TrackResult(finding="substantiated", outcome=Outcome.CASE_OPENED), "complaint_outcome"),
        (TrackResult(finding="bogus", outcome=Outcome.ACCEPTED), "complaint_finding"),
    ],
)
def test_reply_rules_are_enforced(org, calendar_2026, result, field):
    ticket = handled(org)

    with pytest.raises(ValidationError) as error:
        ticket_submit_reply(ticket, actor=org.handler, reply_text="答复", results={Track.COMPLAINT: result})

    assert field in error.value.message_dict
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_report_case_opened_needs_case_number(org, calendar_2026):
    ticket = handled(org, Kind.REPORT)

    with pytest.raises(ValidationError) as error:
        ticket_submit_reply(
            ticket,
            actor=org.handler,
            reply_text="已立案",
            results={Track.REPORT: TrackResult(finding="substantiated", outcome="case_opened")},
        )

    assert list(error.value.message_dict) == ["report_case_number"]


def test_reopened_ticket_needs_an_explanation_before_replying_again(org, calendar_2026):
    ticket = handled(org)
    ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解", results=good_results(Kind.COMPLAINT))
    force_status(ticket, Status.SECTION_REVIEW)
    ticket_complete(ticket, actor=org.reviewer)
    ticket_reopen(ticket, actor=None, reason="unsatisfied")

    with pytest.raises(ValidationError) as error:
        ticket_submit_reply(ticket, actor=org.handler, reply_text="再次调解", results=good_results(Kind.COMPLAINT))
    assert "explanation" in error.value.message_dict

    ticket_submit_reply(
        ticket,
        actor=org.handler,
        reply_text="再次调解",
        results=good_results(Kind.COMPLAINT),
        explanation="首次答复未说明退款进度",
    )
    assert ticket.status == Status.UNIT_REVIEW
    assert ticket.clocks.get(clock=Clock.REDO).status == ClockStatus.MET


def test_reopen_starts_three_day_redo_clock(org, calendar_2026):
    ticket = handled(org)
    force_status(ticket, Status.COMPLETED)

    with time_machine.travel(dt.datetime(2026, 10, 9, 16, 0, tzinfo=SHANGHAI)):
        ticket_reopen(ticket, actor=None, reason="unsatisfied")

    redo = ticket.clocks.get(clock=Clock.REDO)
    # Oct 10 is a make-up Saturday: Oct 10, 12, 13.
    assert redo.due_at.astimezone(SHANGHAI).isoformat() == "2026-10-13T23:59:59+08:00"


def test_complete_meets_reply_clock_and_outbox_carries_reply(org, calendar_2026):
    ticket = handled(org)
    ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解退款", results=good_results(Kind.COMPLAINT))
    force_status(ticket, Status.SECTION_REVIEW)

    ticket_complete(ticket, actor=org.reviewer)

    assert ticket.clocks.get(clock=Clock.REPLY).status == ClockStatus.MET
    assert StatusUpdate.objects.filter(ticket=ticket).last().reply == "已调解退款"


def test_extension_approved_moves_the_due_time(org, calendar_2026):
    ticket = handled(org)
    request = ticket_request_extension(
        ticket, actor=org.handler, clock=Clock.ACCEPTANCE, working_days=5, reason="需检验"
    )

    request_decide(request, actor=org.reviewer, is_approved=True)

    clock = ticket.clocks.get(clock=Clock.ACCEPTANCE)
    # Oct 15 + 5 working days: 16, 19, 20, 21, 22.
    assert clock.due_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 22)
    assert clock.extended_working_days == 5


def test_extension_rejected_changes_nothing_and_cannot_be_decided_twice(org, calendar_2026):
    ticket = handled(org)
    request = ticket_request_extension(
        ticket, actor=org.handler, clock=Clock.ACCEPTANCE, working_days=5, reason="需检验"
    )
    request_decide(request, actor=org.reviewer, is_approved=False, note="理由不足")

    with pytest.raises(TicketConflict):
        request_decide(request, actor=org.reviewer, is_approved=True)

    assert ticket.clocks.get(clock=Clock.ACCEPTANCE).due_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 15)


def test_second_pending_request_of_a_kind_is_a_conflict(org, calendar_2026):
    ticket = handled(org)
    ticket_request_extension(ticket, actor=org.handler, clock=Clock.REPLY, working_days=3, reason="a")

    with pytest.raises(TicketConflict):
        ticket_request_extension(ticket, actor=org.handler, clock=Clock.REPLY, working_days=3, reason="b")


def test_return_to_platform_needs_approval_and_cancels_clocks(org, calendar_2026):
    ticket = make_ticket(org)
    request = ticket_request_return(ticket, actor=org.dispatcher, reason_code="not_jurisdiction", reason="属外区")
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED

    request_decide(request, actor=org.chief, is_approved=True)

    ticket.refresh_from_db()
    assert ticket.status == Status.RETURNED_TO_PLATFORM
    assert set(ticket.clocks.values_list("status", flat=True)) == {ClockStatus.CANCELLED}
    assert request.kind == RequestKind.RETURN_TO_PLATFORM


def test_pause_and_resume_do_not_count_paused_working_days(org, calendar_2026):
    ticket = handled(org)
    with time_machine.travel(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SHANGHAI)):
        ticket_pause_clocks(ticket, actor=org.handler, reason_code="testing", reason="送检")
    assert set(ticket.clocks.filter(clock=Clock.ACCEPTANCE).values_list("status", flat=True)) == {"paused"}

    with time_machine.travel(dt.datetime(2026, 10, 14, 15, 0, tzinfo=SHANGHAI)):
        ticket_resume_clocks(ticket, actor=org.handler)

    acceptance = ticket.clocks.get(clock=Clock.ACCEPTANCE)
    # Paused Mon Oct 12, resumed Wed Oct 14: Oct 13 and 14 do not count; Oct 15 + 2 = Oct 19.
    assert acceptance.due_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 19)
    assert acceptance.paused_working_days == 2
    assert acceptance.status == ClockStatus.OPEN


def test_manual_intake_numbers_are_sequential_per_day(org, calendar_2026):
    first = make_ticket(org, source="walk_in", external_id="")
    second = make_ticket(org, source="walk_in", external_id="")

    assert (first.external_id, second.external_id) == ("HL-20260930-000001", "HL-20260930-000002")


def test_duplicates_found_by_external_id_and_by_complainant_and_business(org, calendar_2026):
    original = make_ticket(org, external_id="SH-1")

    by_id = services.ticket_find_duplicates(bureau=org.bureau, external_id="SH-1")
    by_party = services.ticket_find_duplicates(
        bureau=org.bureau,
        phone="13812345678",
        credit_code="91310117MA1J2XXXXX",
        received_at=original.received_at + dt.timedelta(days=10),
    )
    too_late = services.ticket_find_duplicates(
        bureau=org.bureau,
        phone="13812345678",
        credit_code="91310117MA1J2XXXXX",
        received_at=original.received_at + dt.timedelta(days=31),
    )

    assert by_id == [original]
    assert by_party == [original]
    assert too_late == []


def test_tickets_about_one_business_share_it(org, calendar_2026):
    first = make_ticket(org)
    second = make_ticket(org)

    assert first.business_id == second.business_id
    first.business.refresh_from_db()
    assert first.business.ticket_count == 2


def test_reveal_personal_data_is_audited(org, calendar_2026):
    ticket = make_ticket(org)

    value = services.ticket_reveal_personal_data(ticket, actor=org.dispatcher, field="complainant_phone")

    assert value == "13812345678"
    event = ticket.events.get(code="personal_data_revealed")
    assert (event.actor, event.data, event.is_internal) == (org.dispatcher, {"field": "phone"}, True)


def test_attachment_checks_type_by_content(org, calendar_2026, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ticket = make_ticket(org)
    fake_pdf = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    real_pdf = SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n%fake but well-started\n", content_type="application/pdf")
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")

    with pytest.raises(ValidationError):
        services.ticket_add_attachment(ticket, actor=org.handler, uploaded_file=fake_pdf)
    with pytest.raises(ValidationError):
        services.ticket_add_attachment(ticket, actor=org.handler, uploaded_file=script)
    attachment = services.ticket_add_attachment(ticket, actor=org.handler, uploaded_file=real_pdf)

    assert attachment.original_name == "证据.pdf"
    assert attachment.content_type == "application/pdf"
    assert "证据" not in attachment.file.name  # stored under a random name
    assert io.BytesIO(attachment.file.read()).read(5) == b"%PDF-"


def test_attachment_with_a_very_long_name_keeps_its_type(org, calendar_2026, settings, tmp_path):
    # QA: a 400-character name used to be cut before its extension, and a real PDF was refused as a wrong type.
    settings.MEDIA_ROOT = tmp_path
    ticket = make_ticket(org)
    long_pdf = SimpleUploadedFile("现场" * 200 + ".PDF", b"%PDF-1.4\n", content_type="application/pdf")

    attachment = services.ticket_add_attachment(ticket, actor=org.handler, uploaded_file=long_pdf)

    assert (len(attachment.original_name), attachment.original_name[-4:]) == (200, ".pdf")
    assert attachment.content_type == "application/pdf"


# ---------------------------------------------------------------- steps that leave the ticket's row as it is


def reply_with_filing_decision(org, *, real_name=True):
    """A report whose reply (case opened) was submitted: the reporter-notice clock runs for a real-name reporter."""
    ticket = handled(org, Kind.REPORT)
    if not real_name:
        Ticket.objects.filter(pk=ticket.pk).update(complainant_is_real_name=False)
        ticket.refresh_from_db()
    return ticket_submit_reply(ticket, actor=org.handler, reply_text="已立案查处", results=good_results(Kind.REPORT))


def _prepared(org, step):
    if step == "reporter_notified":
        return reply_with_filing_decision(org)
    ticket = handled(org)
    if step == "resume":
        ticket_pause_clocks(ticket, actor=org.handler, reason_code="testing", reason="送检")
    return ticket


def _take(org, step, ticket, version):
    calls = {
        "pause": lambda: ticket_pause_clocks(
            ticket, actor=org.handler, reason_code="testing", reason="送检", expected_version=version
        ),
        "resume": lambda: ticket_resume_clocks(ticket, actor=org.handler, expected_version=version),
        "extension": lambda: ticket_request_extension(
            ticket, actor=org.handler, clock="reply", working_days=3, reason="送检", expected_version=version
        ),
        "return_request": lambda: ticket_request_return(
            ticket, actor=org.handler, reason_code="not_jurisdiction", reason="不属本局", expected_version=version
        ),
        "acceptance": lambda: services.ticket_record_acceptance(
            ticket, actor=org.handler, is_accepted=True, expected_version=version
        ),
        "reporter_notified": lambda: services.ticket_record_reporter_notified(
            ticket, actor=org.handler, note="电话告知", expected_version=version
        ),
    }
    return calls[step]()


STEP_EVENTS = {
    "pause": "clocks_paused",
    "resume": "clocks_resumed",
    "extension": "extension_requested",
    "return_request": "return_to_platform_requested",
    "acceptance": "acceptance_decided",
    "reporter_notified": "reporter_notified",
}


@pytest.mark.parametrize("step", list(STEP_EVENTS))
def test_step_checks_the_version_against_the_locked_row_not_the_callers_copy(org, calendar_2026, frozen, step):
    # The request read the ticket at version v, then a colleague changed it (same status, version v + 1):
    # the check compares the form's v with the row under the lock, not with the request's own stale copy.
    ticket = _prepared(org, step)
    shown = ticket.version
    stale_copy = Ticket.objects.get(pk=ticket.pk)
    ticket_transition(ticket, to=ticket.status, actor=org.handler, event="test", changes={"title": "改了标题"})

    with pytest.raises(TicketConflict):
        _take(org, step, stale_copy, shown)

    assert not TicketEvent.objects.filter(ticket=ticket, code=STEP_EVENTS[step]).exists()


@pytest.mark.parametrize("step", list(STEP_EVENTS))
def test_step_with_the_current_version_is_taken_and_leaves_the_version(org, calendar_2026, frozen, step):
    ticket = _prepared(org, step)
    shown = ticket.version

    _take(org, step, ticket, shown)

    ticket.refresh_from_db()
    assert TicketEvent.objects.filter(ticket=ticket, code=STEP_EVENTS[step]).count() == 1
    assert ticket.version == shown


def test_pause_refuses_when_the_locked_row_left_handling(org, calendar_2026, frozen):
    ticket = handled(org)
    stale_copy = Ticket.objects.get(pk=ticket.pk)
    ticket_submit_reply(ticket, actor=org.handler, reply_text="已调解", results=good_results(Kind.COMPLAINT))

    with pytest.raises(TransitionNotAllowed):
        ticket_pause_clocks(stale_copy, actor=org.handler, reason_code="testing", reason="送检")

    assert not TicketEvent.objects.filter(ticket=ticket, code="clocks_paused").exists()


def test_reporter_notified_meets_the_clock_and_records_how(org, calendar_2026):
    ticket = reply_with_filing_decision(org)

    services.ticket_record_reporter_notified(ticket, actor=org.handler, note="2026-10-09 电话告知已立案")

    clock = ticket.clocks.get(clock=Clock.REPORTER_NOTICE)
    event = TicketEvent.objects.get(ticket=ticket, code="reporter_notified")
    assert (clock.status, event.actor, event.data) == (
        ClockStatus.MET,
        org.handler,
        {"note": "2026-10-09 电话告知已立案"},
    )


def test_reporter_notified_twice_is_refused(org, calendar_2026):
    ticket = reply_with_filing_decision(org)
    services.ticket_record_reporter_notified(ticket, actor=org.handler, note="电话告知")

    with pytest.raises(ValidationError):
        services.ticket_record_reporter_notified(ticket, actor=org.handler, note="电话告知")

    assert TicketEvent.objects.filter(ticket=ticket, code="reporter_notified").count() == 1


def test_reporter_notified_without_a_real_name_reporter_is_refused(org, calendar_2026):
    ticket = reply_with_filing_decision(org, real_name=False)

    with pytest.raises(ValidationError):
        services.ticket_record_reporter_notified(ticket, actor=org.handler, note="电话告知")

    assert not ticket.clocks.filter(clock=Clock.REPORTER_NOTICE).exists()
    assert not TicketEvent.objects.filter(ticket=ticket, code="reporter_notified").exists()


def test_reporter_notified_needs_a_note(org, calendar_2026):
    ticket = reply_with_filing_decision(org)

    with pytest.raises(ValidationError) as error:
        services.ticket_record_reporter_notified(ticket, actor=org.handler, note="  ")

    assert set(error.value.message_dict) == {"note"}
    assert ticket.clocks.get(clock=Clock.REPORTER_NOTICE).status == ClockStatus.OPEN


def _intake(org, **changes):
    fields = {
        "bureau": org.bureau,
        "actor": org.dispatcher,
        "source": "phone",
        "external_id": " HL-PHONE-9 ",
        "kind": "complaint",
        "content": "预付卡商家关门",
        "received_at": dt.datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI),
        "complainant": services.Party(phone="138 1234 5678"),
        "respondent": services.Party(name="某某教育", credit_code=" 91310117ma1j2xxxxx "),
    }
    return services.ticket_intake(**(fields | changes))


def test_intake_stops_at_possible_duplicates_until_confirmed(org, calendar_2026):
    original = make_ticket(org, received_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))

    with pytest.raises(services.PossibleDuplicates) as stopped:
        _intake(org)
    created = _intake(org, confirm_duplicate=True)

    assert stopped.value.tickets == [original]
    assert (created.external_id, created.complainant_phone, created.respondent_credit_code) == (
        "HL-PHONE-9",
        "13812345678",
        "91310117MA1J2XXXXX",
    )


def test_intake_of_a_number_taken_by_the_same_source_is_a_field_error(org, calendar_2026):
    _intake(org, confirm_duplicate=True)

    with pytest.raises(ValidationError) as refused:
        _intake(org, confirm_duplicate=True)

    assert list(refused.value.message_dict) == ["external_id"]
