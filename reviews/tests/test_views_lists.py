"""Query counts of the remaining list pages at 1 and 3 rows, and the fingerprint's database guarantee."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from reviews.models import Callback
from reviews.services import callback_record, key_point_create, training_create
from reviews.tests.factories import completed_ticket, ticket_in_unit_review
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)

# session, user, roles, 2 x model-backend permissions, the header's unit
BASE = 6


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("rows", [1, 3])
def test_supervisions_list_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for _ in range(rows):
        callback_record(completed_ticket(org), satisfaction="unsatisfied")
    client.force_login(org.chief)
    client.get(reverse("reviews:supervisions"))

    with django_assert_num_queries(BASE + 2):  # count, rows
        response = client.get(reverse("reviews:supervisions"))

    assert len(response.context["supervisions"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_overdue_list_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for _ in range(rows):
        ticket_in_unit_review(org)

    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        client.force_login(org.chief)
        client.get(reverse("reviews:overdue"))
        with django_assert_num_queries(BASE + 2):
            response = client.get(reverse("reviews:overdue"))

    assert len(response.context["tickets"]) == rows


def test_overdue_list_unit_deputy_is_forbidden(client, org):
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:overdue"))

    assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_key_points_list_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for n in range(rows):
        key_point_create(bureau=org.bureau, actor=org.chief, title=f"要点{n}", body="内容")
    client.force_login(org.chief)
    client.get(reverse("reviews:key_points"))

    with django_assert_num_queries(BASE + 2):  # rows, the form's category choices
        response = client.get(reverse("reviews:key_points"))

    assert len(response.context["points"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_training_list_query_count_is_constant(client, org, django_assert_num_queries, rows):
    for n in range(rows):
        training_create(
            bureau=org.bureau,
            actor=org.chief,
            title=f"培训{n}",
            held_on=dt.date(2026, 3, n + 1),
            attendees=[org.handler],
        )
    client.force_login(org.chief)
    client.get(reverse("reviews:training"))

    with django_assert_num_queries(BASE + 4):  # bureau, sessions, person-times, the form's attendee choices
        response = client.get(reverse("reviews:training"))

    assert len(response.context["sessions"]) == rows


def test_callback_fingerprint_is_unique_in_the_database(org):
    ticket = completed_ticket(org)
    callback, _ = callback_record(ticket, satisfaction="satisfied")

    with pytest.raises(IntegrityError):
        Callback.objects.create(
            ticket=ticket,
            source=callback.source,
            satisfaction=callback.satisfaction,
            called_at=callback.called_at,
            recorded_at=callback.recorded_at,
            fingerprint=callback.fingerprint,
        )
