"""Merging duplicates (并单) and splitting them off: tickets.services.merging, the page and the staff API."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditRecord
from core.testing import IN_CI, need
from org.tests.factories import make_org
from reviews.models import CallbackTask
from reviews.services import review_approve
from tickets import services
from tickets.choices import ClockStatus, Source, Status
from tickets.models import StatusUpdate, Ticket, TicketClock, TicketEvent, TicketMerge
from tickets.services import TicketMerged, TransitionNotAllowed
from tickets.tests.factories import good_results, make_ticket


def _in_progress(ticket, org):
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    services.ticket_record_first_contact(ticket, actor=org.handler)
    return Ticket.objects.get(pk=ticket.pk)


def _fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


def test_merge_takes_the_masters_state_stops_the_clocks_and_tells_both_timelines(org, calendar_2026):
    master = _in_progress(make_ticket(org), org)
    merged = make_ticket(org, source=Source.PLATFORM_12315)
    own_clocks = {c.pk: (c.status, c.due_at) for c in merged.clocks.all()}

    services.ticket_merge(merged, into=master, actor=org.dispatcher, note="同一投诉")

    merged = _fresh(merged)
    assert (merged.merged_into_id, merged.status, merged.unit_id, merged.handler_id) == (
        master.pk,
        Status.IN_PROGRESS,
        org.office_a.pk,
        org.handler.pk,
    )
    assert set(merged.clocks.values_list("status", flat=True)) == {ClockStatus.CANCELLED}
    assert merged.next_clock_due_at is None
    assert list(merged.events.order_by("pk").values_list("code", flat=True)) == ["received", "merged", "master_moved"]
    assert master.events.filter(code="merged_in", data__ticket_id=merged.pk).exists()
    # its own platform hears of its new status, in its own numbering
    update = StatusUpdate.objects.filter(ticket=merged).latest("pk")
    assert (update.status, update.delivery_status) == (Status.IN_PROGRESS, "pending")
    record = AuditRecord.objects.get(action="ticket.merged")
    assert (record.user_id, record.data["into"]) == (org.dispatcher.pk, master.pk)
    assert TicketMerge.objects.get(ticket=merged).prior["clocks"] == {str(pk): s for pk, (s, _d) in own_clocks.items()}


def test_the_master_completed_completes_each_merged_one_with_its_reply_and_its_own_callback(org, calendar_2026):
    master = _in_progress(make_ticket(org), org)
    first, second = make_ticket(org), make_ticket(org, source=Source.PLATFORM_12315)
    services.ticket_merge(first, into=master, actor=org.dispatcher)
    services.ticket_merge(second, into=master, actor=org.dispatcher)

    services.ticket_submit_reply(
        master, actor=org.handler, reply_text="已调解，退还学费。", results=good_results("complaint")
    )
    review_approve(_fresh(master), actor=org.deputy)
    review_approve(_fresh(master), actor=org.reviewer)

    for ticket in (first, second):
        ticket = _fresh(ticket)
        assert (ticket.status, ticket.reply_text) == (Status.COMPLETED, "已调解，退还学费。")
        assert ticket.completed_at is not None
        # one outbox row per status change of the master, in the merged work order's own name, the reply at the end
        statuses = list(StatusUpdate.objects.filter(ticket=ticket).order_by("pk").values_list("status", flat=True))
        assert statuses == ["received", "in_progress", "unit_review", "section_review", "completed"]
        assert StatusUpdate.objects.filter(ticket=ticket).latest("pk").reply == "已调解，退还学费。"
        assert CallbackTask.objects.filter(ticket=ticket).count() == 1
    assert CallbackTask.objects.filter(ticket=master).count() == 1


def test_split_restores_the_own_status_unit_and_clocks_and_both_timelines_keep_it(org, calendar_2026):
    master = _in_progress(make_ticket(org), org)
    merged = make_ticket(org)
    services.ticket_dispatch(merged, unit=org.office_b, actor=org.dispatcher)
    merged = _fresh(merged)
    before = {c.pk: (c.status, c.due_at) for c in merged.clocks.all()}
    next_due = merged.next_clock_due_at

    services.ticket_merge(merged, into=master, actor=org.dispatcher)
    services.ticket_split(_fresh(merged), actor=org.dispatcher, note="不是同一事项")

    merged = _fresh(merged)
    assert (merged.merged_into_id, merged.status, merged.unit_id, merged.handler_id) == (
        None,
        Status.DISPATCHED,
        org.office_b.pk,
        None,
    )
    assert {c.pk: (c.status, c.due_at) for c in merged.clocks.all()} == before
    assert merged.next_clock_due_at == next_due
    assert TicketClock.objects.filter(ticket=merged, status="open", next_escalation_at__isnull=False).exists()
    codes = list(merged.events.order_by("pk").values_list("code", flat=True))
    assert codes == ["received", "dispatched", "merged", "master_moved", "split"]
    assert list(master.events.filter(code__in=["merged_in", "split_off"]).values_list("code", flat=True)) == [
        "merged_in",
        "split_off",
    ]
    assert StatusUpdate.objects.filter(ticket=merged).latest("pk").status == Status.DISPATCHED
    assert AuditRecord.objects.filter(action="ticket.split", object_id=str(merged.pk)).count() == 1
    assert TicketMerge.objects.get(ticket=merged).split_at is not None
    # and it can be merged again
    services.ticket_merge(merged, into=master, actor=org.dispatcher)
    assert _fresh(merged).merged_into_id == master.pk


def _complete(ticket, org):
    services.ticket_submit_reply(
        _fresh(ticket), actor=org.handler, reply_text="已核实处理。", results=good_results("complaint")
    )
    review_approve(_fresh(ticket), actor=org.deputy)
    review_approve(_fresh(ticket), actor=org.reviewer)
    return _fresh(ticket)


def test_merge_then_split_keeps_every_timeline_clock_and_callback_its_own(org, calendar_2026):
    # received just now: a clock already overdue would need the section's approval to pause
    recent = timezone.now() - dt.timedelta(hours=2)
    master = _in_progress(make_ticket(org, received_at=recent), org)
    merged = _in_progress(make_ticket(org, source=Source.PLATFORM_12315, received_at=recent), org)
    services.ticket_pause_clocks(merged, actor=org.handler, reason_code="testing", reason="送检")
    merged = _fresh(merged)
    before = {c.pk: (c.status, c.due_at, c.paused_at) for c in merged.clocks.all()}
    assert ClockStatus.PAUSED in {status for status, _due, _paused in before.values()}
    master_events = master.events.count()

    services.ticket_merge(merged, into=master, actor=org.dispatcher)
    # the master moves on
    services.ticket_pause_clocks(_fresh(master), actor=org.handler, reason_code="testing", reason="送检")
    services.ticket_resume_clocks(_fresh(master), actor=org.handler)
    services.ticket_split(_fresh(merged), actor=org.dispatcher)

    merged = _fresh(merged)
    # its clocks are its own again: the paused one paused as it was, the others open with their own due times
    assert {c.pk: (c.status, c.due_at, c.paused_at) for c in merged.clocks.all()} == before
    own_codes = list(merged.events.order_by("pk").values_list("code", flat=True))
    # (both were in progress: the merge changed no status, so no master_moved; the master's pause is its own)
    assert own_codes[-3:] == ["clocks_paused", "merged", "split"]

    # the master completes: its citizen is called back, not the split one's (nothing follows the master any more)
    master = _complete(master, org)
    assert master.status == Status.COMPLETED
    assert _fresh(merged).status == Status.IN_PROGRESS
    assert list(merged.events.order_by("pk").values_list("code", flat=True)) == own_codes
    assert CallbackTask.objects.filter(ticket=master).count() == 1
    assert not CallbackTask.objects.filter(ticket=merged).exists()
    codes = list(master.events.order_by("pk").values_list("code", flat=True))[master_events:]
    assert codes[:1] == ["merged_in"] and "split_off" in codes and "master_moved" not in codes

    # the split one finishes on its own: its own clocks, its own reply, its own callback
    services.ticket_resume_clocks(merged, actor=org.handler)
    merged = _complete(merged, org)
    assert (merged.status, merged.reply_text) == (Status.COMPLETED, "已核实处理。")
    assert CallbackTask.objects.filter(ticket=merged).count() == 1
    assert CallbackTask.objects.filter(ticket=master).count() == 1
    assert not merged.clocks.filter(status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]).exists()


def test_a_merged_work_order_takes_no_step_of_its_own(org, calendar_2026):
    master = make_ticket(org)
    merged = make_ticket(org)
    services.ticket_merge(merged, into=master, actor=org.dispatcher)
    merged = _fresh(merged)

    with pytest.raises(TicketMerged):
        services.ticket_dispatch(merged, unit=org.office_a, actor=org.dispatcher)
    assert not org.dispatcher.has_perm("tickets.dispatch_ticket", merged)
    assert org.dispatcher.has_perm("tickets.split_ticket", merged)
    assert not org.dispatcher.has_perm("tickets.merge_ticket", merged)
    # the master moves, the merged one follows
    services.ticket_dispatch(master, unit=org.office_a, actor=org.dispatcher)
    assert (_fresh(merged).status, _fresh(merged).unit_id) == (Status.DISPATCHED, org.office_a.pk)


def test_what_cannot_be_merged(org, calendar_2026):
    other = make_org("qp")
    foreign = make_ticket(other)
    ticket, master, chained = make_ticket(org), make_ticket(org), make_ticket(org)

    with pytest.raises(ValidationError):
        services.ticket_merge(ticket, into=foreign, actor=org.dispatcher)  # another bureau's
    with pytest.raises(ValidationError):
        services.ticket_merge(ticket, into=ticket, actor=org.dispatcher)
    services.ticket_merge(chained, into=master, actor=org.dispatcher)
    with pytest.raises(ValidationError):
        services.ticket_merge(ticket, into=chained, actor=org.dispatcher)  # the master is merged itself
    with pytest.raises(ValidationError):
        services.ticket_merge(master, into=ticket, actor=org.dispatcher)  # it is a master
    with pytest.raises(TicketMerged):
        services.ticket_merge(chained, into=ticket, actor=org.dispatcher)  # merged already
    reviewed = _in_progress(make_ticket(org), org)
    services.ticket_submit_reply(reviewed, actor=org.handler, reply_text="答复", results=good_results("complaint"))
    with pytest.raises(TransitionNotAllowed):
        services.ticket_merge(_fresh(reviewed), into=master, actor=org.dispatcher)  # under review
    assert Ticket.objects.filter(merged_into__isnull=False).count() == 1


def test_split_of_a_work_order_not_merged_is_refused(org, calendar_2026):
    with pytest.raises(TransitionNotAllowed):
        services.ticket_split(make_ticket(org), actor=org.dispatcher)


# ---------------------------------------------------------------- the page


def test_the_ticket_page_proposes_duplicates_and_merges_from_there(client, org, calendar_2026):
    master = make_ticket(org)
    duplicate = make_ticket(org)  # the same complainant, business and text
    client.force_login(org.dispatcher)

    page = client.get(reverse("tickets:detail", args=[duplicate.pk]))
    assert [t.pk for t in page.context["duplicates"]] == [master.pk]
    assert f'id="form-merge-{master.pk}"' in page.content.decode()

    response = client.post(
        reverse("tickets:merge", args=[duplicate.pk]), {"merge-version": duplicate.version, "merge-into": master.pk}
    )
    assert response.status_code == 302
    assert _fresh(duplicate).merged_into_id == master.pk
    merged_page = client.get(reverse("tickets:detail", args=[duplicate.pk]))
    assert merged_page.context["master"].pk == master.pk
    assert 'id="form-split"' in merged_page.content.decode()
    assert [t.pk for t in client.get(reverse("tickets:detail", args=[master.pk])).context["merged_tickets"]] == [
        duplicate.pk
    ]

    split = client.post(reverse("tickets:split", args=[duplicate.pk]), {"split-version": _fresh(duplicate).version})
    assert split.status_code == 302
    assert _fresh(duplicate).merged_into_id is None


def test_a_handler_may_not_merge(client, org, calendar_2026):
    master, duplicate = make_ticket(org), make_ticket(org)
    services.ticket_dispatch(duplicate, unit=org.office_a, actor=org.dispatcher)
    client.force_login(org.handler)
    response = client.post(
        reverse("tickets:merge", args=[duplicate.pk]),
        {"merge-version": _fresh(duplicate).version, "merge-into": master.pk},
    )
    assert response.status_code == 403
    assert _fresh(duplicate).merged_into_id is None


def test_the_inbox_shows_each_rows_duplicates(client, org, calendar_2026):
    first, second = make_ticket(org), make_ticket(org)
    client.force_login(org.dispatcher)
    page = client.get(reverse("tickets:inbox"))
    assert page.context["proposals"] == {second.pk: 1, first.pk: 1}
    assert page.content.decode().count("1 件可能重复") == 2
    assert page.content.decode().count('data-testid="possible-duplicates"') == 2


def test_a_proposal_follows_whether_its_work_order_is_still_open(org, calendar_2026):
    """The proposals keep whether their work order is open and not merged (DuplicateProposal.duplicate_open): every
    writer of that keeps it true, and the lists read it without the work orders."""
    from tickets.duplicates import proposals_for

    master, older, newer = (make_ticket(org) for _ in range(3))  # one complainant: each proposes the others
    assert proposals_for([newer.pk]) == {newer.pk: sorted([master.pk, older.pk])}

    services.ticket_merge(older, into=master, actor=org.dispatcher)
    assert proposals_for([newer.pk]) == {newer.pk: [master.pk]}
    services.ticket_split(older, actor=org.dispatcher)
    assert proposals_for([newer.pk]) == {newer.pk: sorted([master.pk, older.pk])}

    # the master completed (closed): proposed no more; reopened: proposed again
    master = _in_progress(master, org)
    services.ticket_submit_reply(master, actor=org.handler, reply_text="已调解。", results=good_results("complaint"))
    review_approve(_fresh(master), actor=org.deputy)
    review_approve(_fresh(master), actor=org.reviewer)
    assert _fresh(master).status == Status.COMPLETED
    assert proposals_for([newer.pk, older.pk]) == {newer.pk: [older.pk], older.pk: [newer.pk]}
    services.ticket_reopen(_fresh(master), actor=org.reviewer, reason="回访不满意")
    assert proposals_for([newer.pk]) == {newer.pk: sorted([master.pk, older.pk])}


def test_a_proposal_written_as_its_work_order_closed_is_set_straight(org, calendar_2026):
    from tickets.duplicates import proposals_for
    from tickets.models import DuplicateProposal
    from tickets.services.merging import proposals_recheck

    older, newer = make_ticket(org), make_ticket(org)
    # what an intake racing the close of `older` leaves (its proposal says open; the close did not see it)
    Ticket.objects.filter(pk=older.pk).update(status=Status.COMPLETED)
    assert DuplicateProposal.objects.get(ticket=newer, duplicate=older).duplicate_open

    assert proposals_recheck() == 1
    assert proposals_for([newer.pk]) == {newer.pk: []}
    assert proposals_recheck() == 0


@pytest.mark.parametrize("rows", [2, 5])
def test_the_inbox_shows_each_rows_suggested_unit_and_duplicates_without_a_query_per_row(
    client, org, frozen, django_assert_num_queries, rows
):
    """Issue 15: "the inbox shows each row's suggested unit and duplicate proposals without a query per row"."""
    from dispatch.tests.conftest import add_row
    from tickets.models import Category

    food = Category.objects.get(code="food")
    add_row(org, food, org.office_b)
    tickets = [make_ticket(org, category=food) for _ in range(rows)]  # one complainant: each proposes the others
    client.force_login(org.dispatcher)
    client.get(reverse("tickets:inbox"))  # the per-process copies of unit and staff names

    # session, user, count, the page with the fields the suggester reads (the suggestion each row keeps: no similar
    # tickets' query), its possible duplicates (one query), the bell's count: the same number at 2 rows and at 5
    with django_assert_num_queries(6):
        page = client.get(reverse("tickets:inbox"))

    html = page.content.decode()
    assert html.count('data-testid="suggested-unit"') == rows
    assert html.count('data-testid="possible-duplicates"') == rows
    # each row: how many of the others it may repeat (the ticket page lists them)
    assert page.context["proposals"] == {t.pk: rows - 1 for t in tickets}
    assert all(page.context["suggestions"][t.pk].unit_id == org.office_b.pk for t in tickets)


# ---------------------------------------------------------------- the staff API


def _api(user) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def test_api_merge_and_split(org, calendar_2026):
    master, duplicate = make_ticket(org), make_ticket(org)
    api = _api(org.dispatcher)

    detail = api.get(f"/api/v1/staff/tickets/{duplicate.pk}/").json()
    assert (detail["possible_duplicates"], detail["merged_into"]) == ([master.pk], None)
    inbox = {row["id"]: row["possible_duplicates"] for row in api.get("/api/v1/staff/inbox/").json()["results"]}
    assert inbox == {master.pk: [duplicate.pk], duplicate.pk: [master.pk]}

    merged = api.post(f"/api/v1/staff/tickets/{duplicate.pk}/merge/", {"into": master.pk}, format="json")
    assert merged.status_code == 200
    assert merged.json()["merged_into"] == master.pk
    again = api.post(f"/api/v1/staff/tickets/{duplicate.pk}/merge/", {"into": master.pk}, format="json")
    assert again.status_code == 409

    split = api.post(f"/api/v1/staff/tickets/{duplicate.pk}/split/", {}, format="json")
    assert split.status_code == 200
    assert split.json()["merged_into"] is None
    assert api.post(f"/api/v1/staff/tickets/{duplicate.pk}/split/", {}, format="json").status_code == 409


def test_api_refuses_another_bureaus_master_and_bad_input(org, calendar_2026):
    foreign = make_ticket(make_org("qp"))
    ticket = make_ticket(org)
    api = _api(org.dispatcher)

    refused = api.post(f"/api/v1/staff/tickets/{ticket.pk}/merge/", {"into": foreign.pk}, format="json")
    assert refused.status_code == 400
    assert "into" in refused.json()["error"]["fields"]
    assert api.post(f"/api/v1/staff/tickets/{ticket.pk}/merge/", {"into": "x"}, format="json").status_code == 400
    assert api.post(f"/api/v1/staff/tickets/{ticket.pk}/merge/", {}, format="json").status_code == 400
    assert _api(org.handler).post(
        f"/api/v1/staff/tickets/{ticket.pk}/merge/", {"into": foreign.pk}, format="json"
    ).status_code in (403, 404)
    assert _fresh(ticket).merged_into_id is None


def test_another_bureaus_work_order_is_neither_merged_nor_merged_into(client, org, calendar_2026):
    other = make_org("qp")
    foreign, foreign_master = make_ticket(other), make_ticket(other)
    ticket = make_ticket(org)
    api = _api(org.dispatcher)

    # another bureau's work order to merge: not found, on the page and in the API
    assert api.post(f"/api/v1/staff/tickets/{foreign.pk}/merge/", {"into": ticket.pk}, format="json").status_code == 404
    assert api.post(f"/api/v1/staff/tickets/{foreign.pk}/split/", {}, format="json").status_code == 404
    client.force_login(org.dispatcher)
    page = client.post(reverse("tickets:merge", args=[foreign.pk]), {"merge-version": 1, "merge-into": ticket.pk})
    assert page.status_code == 404
    # another bureau's master: the same answer as a number that does not exist (nothing told of the other bureau)
    foreign_answer = api.post(f"/api/v1/staff/tickets/{ticket.pk}/merge/", {"into": foreign_master.pk}, format="json")
    missing_answer = api.post(f"/api/v1/staff/tickets/{ticket.pk}/merge/", {"into": 10**9}, format="json")
    assert foreign_answer.status_code == missing_answer.status_code == 400
    assert foreign_answer.json()["error"]["fields"] == missing_answer.json()["error"]["fields"]
    form = client.post(
        reverse("tickets:merge", args=[ticket.pk]), {"merge-version": ticket.version, "merge-into": foreign_master.pk}
    )
    assert form.status_code in (200, 302, 400)
    assert not Ticket.objects.filter(merged_into__isnull=False).exists()
    assert not TicketMerge.objects.exists()


ON_POSTGRES = connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES and not IN_CI, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
def test_two_dispatchers_merging_the_same_pair_at_once_one_wins(reference_data):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    from workdays.services import calendar_load_year

    calendar_load_year(2026)
    org = make_org()
    a, b = make_ticket(org), make_ticket(org)
    barrier = threading.Barrier(2)
    codes = []

    def send(ticket, into):
        from django.db import connections

        try:
            api = _api(org.dispatcher)
            barrier.wait(timeout=30)
            codes.append(
                api.post(f"/api/v1/staff/tickets/{ticket.pk}/merge/", {"into": into.pk}, format="json").status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=pair) for pair in [(a, b), (b, a)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) in ([200, 400], [200, 409])
    assert Ticket.objects.filter(merged_into__isnull=False).count() == 1
    assert TicketMerge.objects.count() == 1
    assert TicketEvent.objects.filter(code="merged").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not ON_POSTGRES and not IN_CI, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
def test_two_dispatchers_merging_one_into_the_other_at_once_one_wins_the_other_409(reference_data):
    need(connection.vendor == "postgresql", "needs PostgreSQL (DATABASE_URL=postgres://...)")
    from org.choices import RoleCode
    from org.tests.factories import make_user
    from workdays.services import calendar_load_year

    calendar_load_year(2026)
    org = make_org()
    second_dispatcher = make_user("sj_dispatcher2", org.dispatcher.unit, RoleCode.DISPATCHER)
    ticket, master = make_ticket(org), make_ticket(org)
    barrier = threading.Barrier(2)
    codes = []

    def send(user):
        from django.db import connections

        try:
            api = _api(user)
            barrier.wait(timeout=30)
            codes.append(
                api.post(f"/api/v1/staff/tickets/{ticket.pk}/merge/", {"into": master.pk}, format="json").status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(user,)) for user in (org.dispatcher, second_dispatcher)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [200, 409]
    assert Ticket.objects.get(pk=ticket.pk).merged_into_id == master.pk
    assert TicketMerge.objects.count() == 1
    assert TicketEvent.objects.filter(code="merged").count() == 1
    assert AuditRecord.objects.filter(action="ticket.merged").count() == 1
