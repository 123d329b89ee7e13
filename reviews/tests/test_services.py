import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from reviews.choices import CallbackSource, CallbackTaskStatus, Resolved, Satisfaction, Stage
from reviews.models import Callback, CallbackTask, Return, ReturnReasonLine, SpecialSupervision
from reviews.services import callback_record, callback_task_attempt, review_approve, review_return
from reviews.tests.conftest import NOW
from reviews.tests.factories import (
    attach_evidence,
    completed_ticket,
    submit,
    ticket_in_section_review,
    ticket_in_unit_review,
    unsubstantiated_results,
)
from tickets.choices import Clock, ClockStatus, Finding, Outcome, Status, Track
from tickets.services import TicketConflict, TrackResult, TransitionNotAllowed

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture(autouse=True)
def _source_language():
    # Messages are compared in the source language, whatever an earlier request left active.
    with translation.override("en"):
        yield


def test_review_approve_unit_stage_moves_to_section_review(org):
    ticket = ticket_in_unit_review(org)

    review_approve(ticket, actor=org.deputy, comment="同意")

    ticket.refresh_from_db()
    assert ticket.status == Status.SECTION_REVIEW
    assert ticket.events.last().code == "unit_approved"


def test_review_approve_section_stage_completes_and_books_callback(org):
    ticket = ticket_in_section_review(org)

    review_approve(ticket, actor=org.reviewer)

    ticket.refresh_from_db()
    assert ticket.status == Status.COMPLETED
    assert ticket.completed_at == NOW
    assert list(CallbackTask.objects.filter(ticket=ticket).values_list("status", flat=True)) == [
        CallbackTaskStatus.BOOKED
    ]


def test_review_approve_unsubstantiated_completion_books_no_callback(org):
    ticket = ticket_in_unit_review(org, results=unsubstantiated_results())
    attach_evidence(ticket, org.handler)
    review_approve(ticket, actor=org.deputy)

    review_approve(ticket, actor=org.chief)

    assert CallbackTask.objects.filter(ticket=ticket).count() == 0


def test_review_approve_deputy_of_another_unit_is_refused(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(PermissionDenied):
        review_approve(ticket, actor=org.deputy_b)


def test_review_approve_handler_cannot_approve_own_reply(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(PermissionDenied):
        review_approve(ticket, actor=org.handler)


def test_review_approve_deputy_cannot_approve_section_stage(org):
    ticket = ticket_in_section_review(org)

    with pytest.raises(PermissionDenied):
        review_approve(ticket, actor=org.deputy)


def test_review_approve_outside_review_is_not_allowed(org):
    ticket = completed_ticket(org)

    with pytest.raises(TransitionNotAllowed):
        review_approve(ticket, actor=org.reviewer)


def test_review_approve_stale_version_conflicts(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(TicketConflict):
        review_approve(ticket, actor=org.deputy, expected_version=ticket.version - 1)


def test_review_approve_unsubstantiated_without_evidence_is_refused(org):
    ticket = ticket_in_unit_review(org, results=unsubstantiated_results())
    ticket.attachments.all().delete()  # as if removed after submission: the review checks again

    with pytest.raises(ValidationError) as error:
        review_approve(ticket, actor=org.deputy)

    assert error.value.messages == ["A finding of 'not substantiated' needs evidence attached to the work order."]
    ticket.refresh_from_db()
    assert ticket.status == Status.UNIT_REVIEW


def test_review_approve_unsubstantiated_without_grounds_is_refused(org):
    ticket = ticket_in_unit_review(org, results=unsubstantiated_results())
    attach_evidence(ticket, org.handler)
    ticket.tracks.update(grounds="")  # as if edited after submission

    with pytest.raises(ValidationError) as error:
        review_approve(ticket, actor=org.deputy)

    assert error.value.messages == ["A finding of 'not substantiated' needs written grounds."]


def test_review_approve_unsubstantiated_with_evidence_and_grounds_passes(org):
    ticket = ticket_in_unit_review(org, results=unsubstantiated_results())
    attach_evidence(ticket, org.handler)

    review_approve(ticket, actor=org.deputy)

    assert ticket.status == Status.SECTION_REVIEW


def test_review_approve_mediation_without_violation_answer_is_refused(org):
    ticket = ticket_in_unit_review(org)
    ticket.tracks.filter(track=Track.COMPLAINT).update(is_violation_suspected=None)

    with pytest.raises(ValidationError) as error:
        review_approve(ticket, actor=org.deputy)

    assert error.value.messages == ["Closing by mediation needs an answer: is an illegal act suspected?"]


def test_review_approve_mediation_suspected_without_case_or_grounds_is_refused(org):
    ticket = ticket_in_unit_review(org)
    ticket.tracks.filter(track=Track.COMPLAINT).update(is_violation_suspected=True, grounds="", case_number="")

    with pytest.raises(ValidationError) as error:
        review_approve(ticket, actor=org.deputy)

    assert len(error.value.messages) == 1
    assert error.value.messages[0].startswith("An illegal act is suspected")


def test_review_approve_mediation_suspected_with_case_number_passes(org):
    results = {
        Track.COMPLAINT: TrackResult(
            finding=Finding.SUBSTANTIATED, outcome=Outcome.MEDIATED, is_violation_suspected=True, case_number="2026-7"
        )
    }
    ticket = ticket_in_unit_review(org, results=results)

    review_approve(ticket, actor=org.deputy)

    assert ticket.status == Status.SECTION_REVIEW


def test_review_return_unit_stage_counts_and_records(org):
    ticket = ticket_in_unit_review(org)

    review_return(ticket, actor=org.deputy, reason_codes=["facts_unclear", "evidence_missing"], comment="补充证据")

    ticket.refresh_from_db()
    ret = Return.objects.get(ticket=ticket)
    assert (ticket.status, ticket.return_count) == (Status.IN_PROGRESS, 1)
    assert (ret.stage, ret.unit, ret.actor, ret.at, ret.reason_codes) == (
        Stage.UNIT,
        org.office_a,
        org.deputy,
        NOW,
        ["facts_unclear", "evidence_missing"],
    )
    assert sorted(ReturnReasonLine.objects.values_list("code", flat=True)) == ["evidence_missing", "facts_unclear"]
    assert ticket.events.last().code == "unit_returned"


def test_review_return_section_stage_counts_twice_per_ticket(org):
    ticket = ticket_in_unit_review(org)
    review_return(ticket, actor=org.deputy, reason_codes=["facts_unclear"])
    submit(ticket, org.handler)
    review_approve(ticket, actor=org.deputy)

    review_return(ticket, actor=org.reviewer, reason_codes=["reply_substandard"])

    ticket.refresh_from_db()
    assert ticket.return_count == 2
    assert list(Return.objects.filter(ticket=ticket).order_by("id").values_list("stage", flat=True)) == [
        Stage.UNIT,
        Stage.SECTION,
    ]
    assert ticket.events.last().code == "section_returned"


def test_review_return_other_without_comment_is_refused(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(ValidationError) as error:
        review_return(ticket, actor=org.deputy, reason_codes=["other"])

    assert error.value.message_dict == {"comment": ["Say what the other reason is."]}


def test_review_return_without_reason_is_refused(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(ValidationError) as error:
        review_return(ticket, actor=org.deputy, reason_codes=[])

    assert list(error.value.message_dict) == ["reason_codes"]


def test_review_return_unknown_reason_is_refused(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(ValidationError):
        review_return(ticket, actor=org.deputy, reason_codes=["bogus"])

    assert Return.objects.count() == 0


def test_review_return_by_other_unit_is_refused(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(PermissionDenied):
        review_return(ticket, actor=org.deputy_b, reason_codes=["facts_unclear"])

    assert Return.objects.count() == 0


# ---------------------------------------------------------------- callbacks


def test_callback_record_satisfied_keeps_ticket_completed(org):
    ticket = completed_ticket(org)

    callback, created = callback_record(
        ticket,
        satisfaction=Satisfaction.SATISFIED,
        resolved=Resolved.RESOLVED,
        actor=org.reviewer,
        source=CallbackSource.STAFF,
    )

    ticket.refresh_from_db()
    assert (created, ticket.status, callback.unit) == (True, Status.COMPLETED, org.office_a)
    assert CallbackTask.objects.get(ticket=ticket).status == CallbackTaskStatus.REACHED
    assert ticket.events.last().data == {"satisfaction": "satisfied", "resolved": "resolved", "source": "staff"}


def test_callback_record_unsatisfied_staff_reopens_without_supervision(org):
    ticket = completed_ticket(org)

    callback_record(
        ticket,
        satisfaction=Satisfaction.UNSATISFIED,
        resolved=Resolved.UNRESOLVED,
        source=CallbackSource.STAFF,
        actor=org.reviewer,
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.REOPENED
    assert ticket.clocks.filter(clock=Clock.REDO, status=ClockStatus.OPEN).count() == 1
    assert SpecialSupervision.objects.count() == 0


def test_callback_record_unsatisfied_platform_reopens_and_opens_supervision(org):
    ticket = completed_ticket(org)

    callback, _ = callback_record(ticket, satisfaction=Satisfaction.UNSATISFIED, comment="商家仍未退款")

    ticket.refresh_from_db()
    redo = ticket.clocks.get(clock=Clock.REDO)
    assert ticket.status == Status.REOPENED
    assert redo.working_days == 3
    assert SpecialSupervision.objects.get().callback == callback


def test_callback_record_same_callback_twice_is_recorded_once(org):
    ticket = completed_ticket(org)
    called_at = NOW - dt.timedelta(hours=1)
    first, created_first = callback_record(
        ticket, satisfaction="unsatisfied", resolved="partly", comment="x", called_at=called_at
    )

    again, created_again = callback_record(
        ticket, satisfaction="unsatisfied", resolved="partly", comment="x", called_at=called_at
    )

    assert (created_first, created_again, again.pk) == (True, False, first.pk)
    assert Callback.objects.count() == 1
    assert SpecialSupervision.objects.count() == 1
    assert ticket.events.filter(code="callback").count() == 1


def test_callback_record_on_open_ticket_is_not_allowed(org):
    ticket = ticket_in_unit_review(org)

    with pytest.raises(TransitionNotAllowed):
        callback_record(ticket, satisfaction=Satisfaction.SATISFIED)

    assert Callback.objects.count() == 0


def test_callback_record_unknown_satisfaction_is_refused(org):
    ticket = completed_ticket(org)

    with pytest.raises(ValidationError) as error:
        callback_record(ticket, satisfaction="happy")

    assert list(error.value.message_dict) == ["satisfaction"]


def test_callback_unsatisfied_explanation_required_then_completes_again(org):
    from tickets.services import ticket_submit_reply
    from tickets.tests.factories import good_results

    ticket = completed_ticket(org)
    callback_record(ticket, satisfaction=Satisfaction.UNSATISFIED)
    ticket.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        ticket_submit_reply(ticket, actor=org.handler, reply_text="重办", results=good_results(ticket.kind))
    assert list(error.value.message_dict) == ["explanation"]

    submit(ticket, org.handler, explanation="情况说明：已再次上门督促退款。")
    review_approve(ticket, actor=org.deputy)
    review_approve(ticket, actor=org.reviewer)

    ticket.refresh_from_db()
    assert ticket.status == Status.COMPLETED
    assert ticket.clocks.get(clock=Clock.REDO).status == ClockStatus.MET
    assert CallbackTask.objects.filter(ticket=ticket, status=CallbackTaskStatus.BOOKED).count() == 1


def test_callback_record_a_second_own_callback_of_the_same_completion_is_refused(org):
    ticket = completed_ticket(org)
    callback_record(
        ticket, satisfaction=Satisfaction.SATISFIED, resolved=Resolved.RESOLVED, source=CallbackSource.STAFF
    )

    with pytest.raises(ValidationError) as error:
        callback_record(
            ticket, satisfaction=Satisfaction.BASICALLY_SATISFIED, resolved=Resolved.PARTLY, source=CallbackSource.STAFF
        )

    assert error.value.messages == ["Our own callback of this completion is already recorded."]
    assert list(Callback.objects.filter(ticket=ticket).values_list("satisfaction", flat=True)) == ["satisfied"]


def test_callback_record_the_citys_callback_after_our_own_is_recorded(org):
    ticket = completed_ticket(org)
    callback_record(
        ticket, satisfaction=Satisfaction.SATISFIED, resolved=Resolved.RESOLVED, source=CallbackSource.STAFF
    )

    _callback, created = callback_record(ticket, satisfaction=Satisfaction.BASICALLY_SATISFIED)

    assert created is True
    assert sorted(Callback.objects.filter(ticket=ticket).values_list("source", flat=True)) == ["platform", "staff"]


def test_callback_record_own_callback_again_after_the_redo_is_completed(org):
    ticket = completed_ticket(org)
    callback_record(ticket, satisfaction=Satisfaction.UNSATISFIED, source=CallbackSource.STAFF, comment="仍未退款")
    ticket.refresh_from_db()
    submit(ticket, org.handler, explanation="情况说明：已再次上门督促退款。")
    review_approve(ticket, actor=org.deputy)
    review_approve(ticket, actor=org.reviewer)

    _callback, created = callback_record(ticket, satisfaction=Satisfaction.SATISFIED, source=CallbackSource.STAFF)

    assert created is True
    assert Callback.objects.filter(ticket=ticket, source=CallbackSource.STAFF).count() == 2


def test_callback_own_recorded_this_round_reads_the_loaded_timeline_and_the_database_alike(org):
    from reviews.selectors import callback_own_recorded_this_round
    from tickets.models import TicketEvent

    ticket = completed_ticket(org)
    before = callback_own_recorded_this_round(ticket)
    callback_record(ticket, satisfaction=Satisfaction.SATISFIED, source=CallbackSource.STAFF)
    ticket.event_list = list(TicketEvent.objects.filter(ticket=ticket).order_by("at", "id"))
    from_the_page = callback_own_recorded_this_round(ticket)
    del ticket.event_list

    assert (before, from_the_page, callback_own_recorded_this_round(ticket)) == (False, True, True)


def test_callback_task_attempt_not_reached_counts_and_stays_open(org):
    ticket = completed_ticket(org)
    task = CallbackTask.objects.get(ticket=ticket)

    callback_task_attempt(task, actor=org.reviewer, note="无人接听")

    task.refresh_from_db()
    assert (task.status, task.attempts, task.last_attempt_at) == (CallbackTaskStatus.NOT_REACHED, 1, NOW)
