"""The suggestion: the most specific catalogue row in force at receipt, else where similar tickets went."""

import datetime as dt

import pytest

from dispatch import similar
from dispatch.services import RowInput, catalogue_row_save
from dispatch.tests.conftest import add_row
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.suggestions import suggestion_for, suggestions_for_ids
from tickets.tests.conftest import NOW
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

RECEIVED = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)


def ticket_of(org, category, *, received_at=RECEIVED, location="", respondent=True, **extra):
    ticket = make_ticket(org, category=category, received_at=received_at, location_address=location, **extra)
    if not respondent:
        ticket.business = None
        ticket.save(update_fields=["business"])
    return ticket


def test_the_deepest_category_of_the_branch_wins(org, categories):
    add_row(org, categories["food"], org.office_a)
    add_row(org, categories["food-catering"], org.office_b)

    catering = suggestion_for(ticket_of(org, categories["food-catering"]))
    food = suggestion_for(ticket_of(org, categories["food"]))

    assert (catering.unit_id, catering.basis) == (org.office_b.pk, "catalogue")
    assert food.unit_id == org.office_a.pk
    assert "餐饮服务" in catering.reason


def test_a_parent_categorys_row_serves_the_categories_under_it(org, categories):
    add_row(org, categories["food"], org.office_a, assisting=[org.food])

    suggestion = suggestion_for(ticket_of(org, categories["food-catering"]))

    assert suggestion.unit_id == org.office_a.pk
    assert suggestion.assisting_unit_ids == (org.food.pk,)


def test_a_row_for_the_town_beats_the_row_for_anywhere(org, categories):
    add_row(org, categories["food"], org.office_a)
    add_row(org, categories["food"], org.office_b, area="方松街道")

    in_town = suggestion_for(ticket_of(org, categories["food"], location="松江区方松街道文诚路1号"))
    elsewhere = suggestion_for(ticket_of(org, categories["food"], location="松江区岳阳街道人民路2号"))

    assert in_town.unit_id == org.office_b.pk
    assert "方松街道" in in_town.reason
    assert elsewhere.unit_id == org.office_a.pk


def test_the_version_in_force_on_the_receipt_day_is_used(org, categories):
    """A row changed today does not change yesterday's suggestion."""
    add_row(org, categories["price"], org.office_a, effective_from=dt.date(2026, 1, 1))
    add_row(org, categories["price"], org.office_b, effective_from=dt.date(2026, 10, 1))

    yesterday = suggestion_for(ticket_of(org, categories["price"], received_at=RECEIVED))  # 30 September
    today = suggestion_for(ticket_of(org, categories["price"], received_at=RECEIVED + dt.timedelta(days=1)))

    assert yesterday.unit_id == org.office_a.pk
    assert today.unit_id == org.office_b.pk


def test_a_row_not_yet_in_force_suggests_nothing(org, categories):
    add_row(org, categories["price"], org.office_a, effective_from=dt.date(2026, 10, 1))

    assert suggestion_for(ticket_of(org, categories["price"], respondent=False)) is None


def test_another_bureaus_catalogue_is_not_used(org, categories):
    from org.tests.factories import make_org

    other = make_org("qp")
    add_row(other, categories["price"], other.office_a)

    assert suggestion_for(ticket_of(org, categories["price"], respondent=False)) is None


def test_where_the_catalogue_is_silent_similar_tickets_of_the_business_speak(org, categories):
    for _ in range(3):
        services.ticket_dispatch(
            ticket_of(org, None, received_at=RECEIVED - dt.timedelta(days=30)), unit=org.office_b, actor=org.dispatcher
        )
    services.ticket_dispatch(
        ticket_of(org, None, received_at=RECEIVED - dt.timedelta(days=20)), unit=org.office_a, actor=org.dispatcher
    )
    # older than 12 months: not counted
    for _ in range(5):
        services.ticket_dispatch(
            ticket_of(org, None, received_at=RECEIVED - dt.timedelta(days=400)), unit=org.office_a, actor=org.dispatcher
        )

    suggestion = suggestion_for(ticket_of(org, None))

    assert (suggestion.unit_id, suggestion.basis, suggestion.similar_count) == (org.office_b.pk, "similar", 3)
    assert "方松所" in suggestion.reason and "3" in suggestion.reason


def test_without_a_business_the_category_speaks(org, categories, frozen):
    for _ in range(2):
        old = ticket_of(org, categories["education"], respondent=False, received_at=RECEIVED - dt.timedelta(days=5))
        services.ticket_dispatch(old, unit=org.office_a, actor=org.dispatcher)
    # the category's counts are kept per process for ten minutes, and the intake of the tickets above read them
    similar.category_counts.invalidate()

    suggestion = suggestion_for(ticket_of(org, categories["education"], respondent=False))

    assert (suggestion.unit_id, suggestion.similar_count) == (org.office_a.pk, 2)


def test_the_similar_finder_is_a_setting(org, categories, settings):
    settings.HOTLINE_DISPATCH_SIMILAR_FINDER = "dispatch.tests.test_suggest.always_office_b"
    always_office_b.unit_id = org.office_b.pk
    ticket = ticket_of(org, None, respondent=False)

    suggestion = suggestion_for(ticket)

    assert (suggestion.unit_id, suggestion.similar_count) == (org.office_b.pk, 7)


def always_office_b(tickets, *, since_days):
    return {ticket.pk: [(always_office_b.unit_id, 7)] for ticket in tickets}


def test_without_a_suggester_nothing_is_suggested(org, categories, settings):
    add_row(org, categories["food"], org.office_a)
    settings.HOTLINE_DISPATCH_SUGGESTER = ""

    assert suggestion_for(ticket_of(org, categories["food"])) is None


@pytest.mark.parametrize("taken", [True, False])
def test_a_first_dispatch_records_the_suggestion_and_whether_it_was_taken(org, categories, taken):
    row = add_row(org, categories["food"], org.office_a)
    ticket = ticket_of(org, categories["food"])
    suggestion = suggestion_for(ticket)

    services.ticket_dispatch(
        ticket, unit=org.office_a if taken else org.office_b, actor=org.dispatcher, suggestion=suggestion
    )

    event = TicketEvent.objects.get(ticket=ticket, code="dispatched")
    assert event.data["suggested"] == {"unit": org.office_a.code, "basis": "catalogue", "row": row.pk}
    assert event.data["suggestion_taken"] is taken


def test_suggestions_for_a_page_take_a_constant_number_of_queries(org, categories, django_assert_max_num_queries):
    add_row(org, categories["food"], org.office_a)
    ids = [ticket_of(org, categories["food"] if n % 2 else None).pk for n in range(6)]
    suggestions_for_ids(ids[:1])  # the per-process copies

    # the tickets' fields, the similar tickets of their businesses
    with django_assert_max_num_queries(2):
        found = suggestions_for_ids(ids)

    assert {found[pk].unit_id for pk in ids[1::2]} == {org.office_a.pk}


# ---------------------------------------------------------------- the suggestion a work order keeps


def test_intake_keeps_the_suggestion_and_a_read_uses_it(org, categories, django_assert_num_queries):
    row = add_row(org, categories["food"], org.office_a)
    ticket = make_ticket(org, category=categories["food"])
    ticket.refresh_from_db()
    assert ticket.dispatch_suggestion["unit"] == org.office_a.pk
    assert (ticket.dispatch_suggestion["basis"], ticket.dispatch_suggestion["row"]) == ("catalogue", row.pk)

    # what the work order keeps is what is shown, not worked out again: changed behind the suggester's back (with
    # its key left as it is), the kept answer is the one read
    kept = {**ticket.dispatch_suggestion, "basis": "similar", "unit": org.office_b.pk, "count": 4}
    Ticket.objects.filter(pk=ticket.pk).update(dispatch_suggestion=kept)
    ticket.refresh_from_db()
    suggestion_for(ticket)  # the per-process copies
    with django_assert_num_queries(0):
        suggestion = suggestion_for(ticket)
    assert (suggestion.unit_id, suggestion.basis, suggestion.similar_count) == (org.office_b.pk, "similar", 4)
    assert "4" in suggestion.reason and org.office_b.name in suggestion.reason


def test_a_kept_suggestion_that_no_longer_matches_is_worked_out_again(org, categories):
    add_row(org, categories["food"], org.office_a)
    ticket = make_ticket(org, category=categories["food"])
    kept = {**Ticket.objects.get(pk=ticket.pk).dispatch_suggestion, "basis": "similar", "unit": org.office_b.pk}
    Ticket.objects.filter(pk=ticket.pk).update(dispatch_suggestion=kept)

    # the work order changed: its category is another now, with a row of its own
    Ticket.objects.filter(pk=ticket.pk).update(category=categories["price"])
    add_row(org, categories["price"], org.office_b)
    assert suggestion_for(Ticket.objects.get(pk=ticket.pk)).basis == "catalogue"

    # the catalogue changed (a row for the category's area, more specific): not the kept answer but the new one
    ticket = make_ticket(org, category=categories["food"], location_address="松江区方松街道文诚路1号")
    assert suggestion_for(Ticket.objects.get(pk=ticket.pk)).unit_id == org.office_a.pk
    add_row(org, categories["food"], org.office_b, area="方松街道")
    assert suggestion_for(Ticket.objects.get(pk=ticket.pk)).unit_id == org.office_b.pk


def test_the_waiting_work_orders_keep_theirs_again_after_a_catalogue_change(
    org, categories, frozen, django_capture_on_commit_callbacks
):
    ticket = make_ticket(org, category=categories["food"], received_at=NOW)
    ticket.refresh_from_db()
    assert ticket.dispatch_suggestion["unit"] is None  # the catalogue is silent, no similar work orders
    done = make_ticket(org, category=categories["food"], received_at=NOW)
    services.ticket_dispatch(done, unit=org.office_b, actor=org.dispatcher)
    kept_before = Ticket.objects.get(pk=done.pk).dispatch_suggestion

    from hotline.celery import app

    app.conf.task_always_eager = True  # the task handed over after the commit runs here
    try:
        with django_capture_on_commit_callbacks(execute=True):
            catalogue_row_save(
                bureau_id=org.bureau.pk,
                data=RowInput(
                    category=categories["food"],
                    area="",
                    lead_unit=org.office_a,
                    assisting_units=[],
                    effective_from=NOW.date(),
                ),
                actor=org.admin,
            )
    finally:
        app.conf.task_always_eager = False

    ticket.refresh_from_db()
    assert (ticket.dispatch_suggestion["unit"], ticket.dispatch_suggestion["basis"]) == (org.office_a.pk, "catalogue")
    # only the waiting ones: a dispatched work order keeps what it had
    assert Ticket.objects.get(pk=done.pk).dispatch_suggestion == kept_before
    # and nothing left to keep again
    assert services.suggestions_keep() == 0
    Ticket.objects.filter(pk=ticket.pk).update(dispatch_suggestion=None)
    assert services.suggestions_keep(bureau_id=org.bureau.pk) == 1
