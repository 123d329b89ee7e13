import pytest
from django.urls import reverse

from org.tests.factories import make_org
from reviews.choices import CallbackTaskStatus, SupervisionStatus
from reviews.models import Callback, CallbackTask, SpecialSupervision
from reviews.services import callback_record
from reviews.tests.factories import completed_ticket, submit
from tickets.choices import Clock, ClockStatus, Status

pytestmark = pytest.mark.usefixtures("frozen")


def test_callback_view_unsatisfied_reopens_then_explanation_and_completed_again(client, org):
    ticket = completed_ticket(org)
    client.force_login(org.reviewer)

    client.post(
        reverse("reviews:callback", args=[ticket.pk]),
        {"resolved": "unresolved", "satisfaction": "unsatisfied", "comment": "仍未退款"},
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.REOPENED
    assert ticket.clocks.get(clock=Clock.REDO).status == ClockStatus.OPEN

    # The handler's reply form lives on the ticket page (ui branch): its service call stands in for it here.
    submit(ticket, org.handler, explanation="情况说明：已再次约谈商家并退款。")
    client.force_login(org.deputy)
    page = client.get(reverse("reviews:review", args=[ticket.pk]))
    assert page.context["ticket"].explanation == "情况说明：已再次约谈商家并退款。"
    client.post(reverse("reviews:approve", args=[ticket.pk]), {})
    client.force_login(org.reviewer)
    client.post(reverse("reviews:approve", args=[ticket.pk]), {})

    ticket.refresh_from_db()
    assert ticket.status == Status.COMPLETED
    assert ticket.events.filter(code="reply_submitted").last().data["explanation"].startswith("情况说明")
    assert ticket.clocks.get(clock=Clock.REDO).status == ClockStatus.MET


def test_callback_view_satisfied_keeps_completed(client, org):
    ticket = completed_ticket(org)
    client.force_login(org.chief)

    response = client.post(
        reverse("reviews:callback", args=[ticket.pk]), {"resolved": "resolved", "satisfaction": "satisfied"}
    )

    ticket.refresh_from_db()
    assert (response.status_code, ticket.status) == (302, Status.COMPLETED)
    assert Callback.objects.get().source == "staff"


def test_callback_view_invalid_choice_records_nothing(client, org):
    ticket = completed_ticket(org)
    client.force_login(org.chief)

    client.post(reverse("reviews:callback", args=[ticket.pk]), {"resolved": "resolved", "satisfaction": "happy"})

    assert Callback.objects.count() == 0


def test_callback_view_unit_deputy_is_forbidden(client, org):
    ticket = completed_ticket(org)
    client.force_login(org.deputy)

    response = client.post(
        reverse("reviews:callback", args=[ticket.pk]), {"resolved": "resolved", "satisfaction": "unsatisfied"}
    )

    assert response.status_code == 403
    assert Callback.objects.count() == 0


def test_callback_view_other_bureau_is_404(client, org):
    ticket = completed_ticket(org)
    other = make_org("qp")
    client.force_login(other.reviewer)

    response = client.post(
        reverse("reviews:callback", args=[ticket.pk]), {"resolved": "resolved", "satisfaction": "unsatisfied"}
    )

    assert response.status_code == 404


def test_callback_attempt_view_counts_and_keeps_task_open(client, org):
    ticket = completed_ticket(org)
    task = CallbackTask.objects.get(ticket=ticket)
    client.force_login(org.reviewer)

    client.post(reverse("reviews:callback_attempt", args=[task.pk]), {"note": "无人接听"})

    task.refresh_from_db()
    assert (task.status, task.attempts, task.note) == (CallbackTaskStatus.NOT_REACHED, 1, "无人接听")


def test_callback_attempt_view_other_bureau_is_404(client, org):
    ticket = completed_ticket(org)
    task = CallbackTask.objects.get(ticket=ticket)
    other = make_org("qp")
    client.force_login(other.reviewer)

    response = client.post(reverse("reviews:callback_attempt", args=[task.pk]), {})

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_callbacks_list_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for _ in range(rows):
        callback_record(completed_ticket(org), satisfaction="satisfied")
    client.force_login(org.chief)
    client.get(reverse("reviews:callbacks"))

    # session, user with unit and roles, the unit filter's choices, tasks, count, rows, bell
    with django_assert_num_queries(7):
        response = client.get(reverse("reviews:callbacks"))

    assert len(response.context["callbacks"]) == rows


def test_callbacks_list_unit_sees_only_its_own(client, org):
    mine = completed_ticket(org)
    callback_record(mine, satisfaction="unsatisfied")
    theirs = completed_ticket(org, unit=org.office_b)
    callback_record(theirs, satisfaction="unsatisfied")
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:callbacks"), {"satisfaction": "unsatisfied"})

    assert [c.ticket_id for c in response.context["callbacks"]] == [mine.pk]


def test_supervision_list_typical_filter_lists_only_typical_cases(client, org):
    first = completed_ticket(org)
    callback_record(first, satisfaction="unsatisfied")
    second = completed_ticket(org)
    callback_record(second, satisfaction="unsatisfied")
    SpecialSupervision.objects.filter(ticket=second).update(is_typical_case=True)
    client.force_login(org.leader)

    response = client.get(reverse("reviews:supervisions"), {"typical": "1"})

    assert [s.ticket_id for s in response.context["supervisions"]] == [second.pk]


def test_supervision_edit_records_cause_person_and_typical_flag(client, org):
    ticket = completed_ticket(org)
    callback_record(ticket, satisfaction="unsatisfied")
    supervision = SpecialSupervision.objects.get()
    client.force_login(org.chief)

    client.post(
        reverse("reviews:supervision", args=[supervision.pk]),
        {"cause_analysis": "经办人未核实退款", "responsible_person": "张某", "is_typical_case": "on", "close": "on"},
    )

    supervision.refresh_from_db()
    assert (supervision.cause_analysis, supervision.responsible_person, supervision.is_typical_case) == (
        "经办人未核实退款",
        "张某",
        True,
    )
    assert supervision.status == SupervisionStatus.CLOSED


def test_supervision_close_without_cause_is_refused(client, org):
    ticket = completed_ticket(org)
    callback_record(ticket, satisfaction="unsatisfied")
    supervision = SpecialSupervision.objects.get()
    client.force_login(org.chief)

    client.post(reverse("reviews:supervision", args=[supervision.pk]), {"close": "on"})

    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.OPEN


def test_supervision_unit_deputy_cannot_edit(client, org):
    ticket = completed_ticket(org)
    callback_record(ticket, satisfaction="unsatisfied")
    supervision = SpecialSupervision.objects.get()
    client.force_login(org.deputy)

    response = client.post(reverse("reviews:supervision", args=[supervision.pk]), {"cause_analysis": "x"})

    supervision.refresh_from_db()
    assert (response.status_code, supervision.cause_analysis) == (403, "")


def test_supervision_other_unit_is_404(client, org):
    ticket = completed_ticket(org)
    callback_record(ticket, satisfaction="unsatisfied")
    supervision = SpecialSupervision.objects.get()
    client.force_login(org.deputy_b)

    response = client.get(reverse("reviews:supervision", args=[supervision.pk]))

    assert response.status_code == 404


def test_ticket_page_offers_our_callback_once_per_completion(client, org):
    # QA: a completed ticket with a callback already recorded still offered the callback form.
    ticket = completed_ticket(org)
    client.force_login(org.reviewer)
    page = reverse("tickets:detail", args=[ticket.pk])
    before = client.get(page).content.decode()

    client.post(reverse("reviews:callback", args=[ticket.pk]), {"resolved": "resolved", "satisfaction": "satisfied"})
    after = client.get(page).content.decode()

    assert 'data-testid="callback-form"' in before
    assert 'data-testid="callback-form"' not in after
    assert "本次办结的回访已记录（见办理过程）。" in after


def test_ticket_page_offers_our_callback_again_once_the_redo_is_completed(client, org):
    from reviews.services import review_approve

    ticket = completed_ticket(org)
    callback_record(ticket, satisfaction="unsatisfied", source="staff", comment="仍未退款")
    ticket.refresh_from_db()
    submit(ticket, org.handler, explanation="情况说明：已再次约谈商家并退款。")
    review_approve(ticket, actor=org.deputy)
    review_approve(ticket, actor=org.reviewer)
    client.force_login(org.reviewer)

    body = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert 'data-testid="callback-form"' in body


def test_second_own_callback_posted_from_a_stale_page_says_why(client, org):
    ticket = completed_ticket(org)
    client.force_login(org.reviewer)
    url = reverse("reviews:callback", args=[ticket.pk])
    client.post(url, {"resolved": "resolved", "satisfaction": "satisfied"})

    response = client.post(url, {"resolved": "partly", "satisfaction": "basically_satisfied"}, follow=True)

    assert "本次办结的回访已记录，不再重复回访。" in [str(m) for m in response.context["messages"]]
    assert Callback.objects.filter(ticket=ticket).count() == 1
