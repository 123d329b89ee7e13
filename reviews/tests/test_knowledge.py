import datetime as dt

import pytest
from django.urls import reverse

from org.tests.factories import make_org
from reviews.models import KeyPoint, TrainingAttendance
from reviews.selectors import training_person_times
from reviews.services import key_point_create, training_create
from reviews.tests.factories import ticket_in_unit_review
from tickets.choices import Kind
from tickets.models import Category


def test_key_points_on_ticket_page_match_category_and_kind(client, org):
    food = Category.objects.create(code="test-food", name="食品")
    ticket = ticket_in_unit_review(org, category=food)
    key_point_create(
        bureau=org.bureau,
        actor=org.chief,
        title="食品投诉要点",
        body="查验进货票据",
        category=food,
        kind=Kind.COMPLAINT,
    )
    key_point_create(bureau=org.bureau, actor=org.chief, title="举报要点", body="核查立案", kind=Kind.REPORT)
    client.force_login(org.deputy)

    response = client.get(reverse("reviews:review", args=[ticket.pk]))

    content = response.content.decode()
    assert "食品投诉要点" in content
    assert "举报要点" not in content


def test_key_points_page_create_by_section(client, org):
    client.force_login(org.chief)

    client.post(reverse("reviews:key_points"), {"title": "广告要点", "body": "核实发布者", "kind": ""})

    assert list(KeyPoint.objects.values_list("title", "bureau_id")) == [("广告要点", org.bureau.pk)]


def test_key_points_page_handler_reads_but_cannot_create(client, org):
    key_point_create(bureau=org.bureau, actor=org.chief, title="要点", body="内容")
    client.force_login(org.handler)

    page = client.get(reverse("reviews:key_points"))
    post = client.post(reverse("reviews:key_points"), {"title": "x", "body": "y"})

    assert [p.title for p in page.context["points"]] == ["要点"]
    assert post.status_code == 403


def test_key_points_page_other_bureau_not_listed(client, org):
    key_point_create(bureau=org.bureau, actor=org.chief, title="要点", body="内容")
    other = make_org("qp")
    client.force_login(other.chief)

    response = client.get(reverse("reviews:key_points"))

    assert response.context["points"] == []


def test_training_person_times_by_unit_and_year(org):
    training_create(
        bureau=org.bureau,
        actor=org.chief,
        title="轮训一",
        held_on=dt.date(2025, 6, 1),
        attendees=[org.handler, org.deputy, org.handler_b],
    )
    training_create(
        bureau=org.bureau,
        actor=org.chief,
        title="轮训二",
        held_on=dt.date(2026, 3, 1),
        attendees=[org.handler, org.deputy],
    )

    rows = [(r["year"], r["unit__name"], r["person_times"]) for r in training_person_times(org.chief)]

    assert rows == [(2026, "岳阳所", 2), (2025, "岳阳所", 2), (2025, "方松所", 1)]


def test_training_attendee_of_other_bureau_is_refused(org):
    from django.core.exceptions import ValidationError

    other = make_org("qp")

    with pytest.raises(ValidationError):
        training_create(
            bureau=org.bureau, actor=org.chief, title="x", held_on=dt.date(2026, 3, 1), attendees=[other.handler]
        )

    assert TrainingAttendance.objects.count() == 0


def test_training_page_create_and_list(client, org):
    client.force_login(org.chief)

    client.post(
        reverse("reviews:training"),
        {
            "title": "带教",
            "held_on": "2026-04-01",
            "trainer": "李科长",
            "attendees": [org.handler.pk, org.handler_b.pk],
        },
    )
    response = client.get(reverse("reviews:training"))

    assert [(s.title, s.attendee_count) for s in response.context["sessions"]] == [("带教", 2)]
    assert [r["person_times"] for r in response.context["person_times"]] == [1, 1]


def test_training_page_handler_is_forbidden(client, org):
    client.force_login(org.handler)

    response = client.get(reverse("reviews:training"))

    assert response.status_code == 403


def test_training_page_lists_attendees_by_name_and_unit(client, org):
    # QA: the attendee picker showed login names (handler, deputy, ...), not people.
    client.force_login(org.chief)

    response = client.get(reverse("reviews:training"))

    labels = [label for _value, label in response.context["form"].fields["attendees"].choices]
    assert f"{org.handler.display_name} · {org.handler.unit.name}" in labels
    assert org.handler.username not in labels
    assert "培训场次" in response.content.decode()
