"""Query counts of the remaining list pages at 1 and 3 rows, and the fingerprint's database guarantee."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from reviews.models import Callback
from reviews.services import callback_record, key_point_create, training_create
from reviews.tests.conftest import NOW
from reviews.tests.factories import completed_ticket, ticket_in_unit_review

# session, user with unit and roles (org.backends), the bell
BASE = 3


pytestmark = pytest.mark.usefixtures("frozen")


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


def test_pages_redirect_anonymous_to_login(client, db):
    responses = [
        client.get(reverse(name)) for name in ("reviews:dashboard", "reviews:campaign_create", "reviews:training")
    ]

    assert [(r.status_code, r.url.split("?")[0]) for r in responses] == [(302, "/login/")] * 3


def test_campaign_create_superuser_without_unit_is_404_not_500(client, db):
    from org.models import User

    root = User.objects.create_superuser("root", password="test-password-123")
    client.force_login(root)

    response = client.get(reverse("reviews:campaign_create"))

    assert response.status_code == 404


def test_returns_filter_offers_only_units_of_my_bureau(client, org):
    from org.tests.factories import make_org

    other = make_org("qp")
    client.force_login(org.chief)

    response = client.get(reverse("reviews:returns"))

    offered = {unit.pk for unit in response.context["view"].filterset.form.fields["unit"].queryset}
    assert other.office_a.pk not in offered
    assert offered == {org.cp.pk, org.food.pk, org.office_a.pk, org.office_b.pk}


def test_supervision_admin_changelist_query_count_does_not_grow_with_rows(client, org):
    # QA: the changelist fetched the (nullable) unit once per row.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.admin)
    url = reverse("admin:reviews_specialsupervision_changelist")
    callback_record(completed_ticket(org), satisfaction="unsatisfied")
    client.get(url)
    with CaptureQueriesContext(connection) as one_row:
        client.get(url)
    for _ in range(2):
        callback_record(completed_ticket(org), satisfaction="unsatisfied")

    with CaptureQueriesContext(connection) as three_rows:
        response = client.get(url)

    assert (response.context["cl"].result_count, len(three_rows)) == (3, len(one_row))


@pytest.mark.parametrize(
    "url_name",
    [
        "reviews:pending",
        "reviews:returns",
        "reviews:overdue",
        "reviews:callbacks",
        "reviews:supervisions",
        "reviews:campaigns",
    ],
)
@pytest.mark.parametrize("page", ["abc", "0", "99999"])
def test_review_lists_answer_a_bad_page_number_with_a_page_not_404(client, org, url_name, page):
    # QA: ?page=abc or ?page=99999 answered the 404 page.
    client.force_login(org.chief)

    response = client.get(reverse(url_name), {"page": page})

    assert (response.status_code, response.context["page_obj"].number) == (200, 1)


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("0", 1), ("99999", 2), ("2", 2)])
def test_supervision_list_page_past_the_end_is_the_last_page(client, org, monkeypatch, page, expected):
    from reviews import views

    monkeypatch.setattr(views.SupervisionListView, "paginate_by", 2)
    for _ in range(3):
        callback_record(completed_ticket(org), satisfaction="unsatisfied")
    client.force_login(org.chief)

    response = client.get(reverse("reviews:supervisions"), {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected
    assert len(response.context["supervisions"]) == (2 if expected == 1 else 1)
