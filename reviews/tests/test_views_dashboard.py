import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from org.choices import UnitKind
from org.models import Unit
from org.tests.factories import make_org
from reviews.services import callback_record, review_return
from reviews.tests.conftest import NOW
from reviews.tests.factories import completed_ticket, ticket_in_unit_review
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.usefixtures("frozen")


def _activity_in_units(org, count):
    """A return and an unsatisfied callback in `count` units (office_a, office_b, then new units)."""
    from org.choices import RoleCode
    from org.tests.factories import make_user

    units = [org.office_a, org.office_b]
    people = {org.office_a.pk: (org.handler, org.deputy), org.office_b.pk: (org.handler_b, org.deputy_b)}
    for n in range(max(0, count - 2)):
        unit = Unit.objects.create(bureau=org.bureau, code=f"u{n}", name=f"所{n}", kind=UnitKind.OFFICE)
        people[unit.pk] = (make_user(f"h{n}", unit, RoleCode.HANDLER), make_user(f"d{n}", unit, RoleCode.UNIT_DEPUTY))
        units.append(unit)
    from reviews.services import review_approve
    from reviews.tests.factories import handled_ticket, submit

    for unit in units[:count]:
        handler, deputy = people[unit.pk]
        ticket = handled_ticket(org, unit=unit, handler=handler)
        submit(ticket, handler)
        review_return(ticket, actor=deputy, reason_codes=["facts_unclear"])
        done = handled_ticket(org, unit=unit, handler=handler)
        submit(done, handler)
        review_approve(done, actor=deputy)
        review_approve(done, actor=org.reviewer)
        callback_record(done, satisfaction="unsatisfied")


@pytest.mark.parametrize("units", [1, 3])
def test_dashboard_query_count_does_not_grow_with_units(client, org, django_assert_num_queries, units):
    _activity_in_units(org, units)
    client.force_login(org.chief)
    client.get(reverse("reviews:dashboard"))

    # session, user with unit and roles, the pending list, the stored figures (counted by the first view), bell,
    # the open cluster alerts by kind and age (alerts/jinja2/alerts/open_alerts_panel.html)
    with django_assert_num_queries(6):
        response = client.get(reverse("reviews:dashboard"))

    assert len(response.context["returns_by_unit"]) == units
    assert len(response.context["unsatisfied_by_unit"]) == units


def test_dashboard_counts_returns_and_unsatisfied_callbacks_and_links_each_to_its_list(client, org):
    ticket = ticket_in_unit_review(org)
    review_return(ticket, actor=org.deputy, reason_codes=["facts_unclear", "evidence_missing"])
    done = completed_ticket(org)
    callback_record(done, satisfaction="unsatisfied")
    client.force_login(org.leader)

    response = client.get(reverse("reviews:dashboard"))

    context = response.context
    content = response.content.decode()
    assert [(r["unit__name"], r["count"]) for r in context["returns_by_unit"]] == [("岳阳所", 1)]
    assert [(r["code"], r["count"]) for r in context["returns_by_reason"]] == [
        ("evidence_missing", 1),
        ("facts_unclear", 1),
    ]
    assert [(r["unit__name"], r["count"]) for r in context["unsatisfied_by_unit"]] == [("岳阳所", 1)]
    assert context["alerts"]["open_supervisions"] == 1
    assert f"{reverse('reviews:returns')}?period=month&amp;unit={org.office_a.pk}" in content
    assert f"{reverse('reviews:returns')}?period=month&amp;reason=facts_unclear" in content
    assert (
        f"{reverse('reviews:callbacks')}?satisfaction=unsatisfied&amp;period=month&amp;unit={org.office_a.pk}"
        in content
    )


def test_dashboard_pending_shows_age_and_due(client, org):
    ticket = ticket_in_unit_review(org)

    with time_machine.travel(NOW + dt.timedelta(hours=5), tick=False):
        client.force_login(org.reviewer)  # signed in then: a session idle for 5 hours would have expired
        response = client.get(reverse("reviews:dashboard"))

    pending = response.context["pending"]
    assert [t.pk for t in pending] == [ticket.pk]
    assert pending[0].waiting == dt.timedelta(hours=5)
    assert pending[0].next_due_at is not None


def test_dashboard_overdue_by_unit_links_to_list(client, org):
    ticket = ticket_in_unit_review(org)

    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        client.force_login(org.reviewer)
        dashboard = client.get(reverse("reviews:dashboard"))
        overdue = client.get(reverse("reviews:overdue"), {"unit": org.office_a.pk})

    assert [(r["unit_id"], r["count"]) for r in dashboard.context["overdue_by_unit"]] == [(org.office_a.pk, 1)]
    assert [t.pk for t in overdue.context["tickets"]] == [ticket.pk]


def test_dashboard_names_overdue_tickets_not_dispatched_yet(client, org):
    # QA: overdue tickets still in the dispatch inbox showed as a bare "—" row in "overdue by unit".
    make_ticket(org)

    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        client.force_login(org.reviewer)
        dashboard = client.get(reverse("reviews:dashboard"))

    assert [(r["unit_id"], r["count"]) for r in dashboard.context["overdue_by_unit"]] == [(None, 1)]
    assert "<td>未派单</td>" in dashboard.content.decode()


def test_dashboard_handler_is_forbidden(client, org):
    client.force_login(org.handler)

    response = client.get(reverse("reviews:dashboard"))

    assert response.status_code == 403


def test_dashboard_other_bureau_figures_are_not_counted(client, org):
    ticket = ticket_in_unit_review(org)
    review_return(ticket, actor=org.deputy, reason_codes=["facts_unclear"])
    other = make_org("qp")
    client.force_login(other.chief)

    response = client.get(reverse("reviews:dashboard"))

    assert (response.context["returns_total"], response.context["pending"]) == (0, [])


def test_dashboard_counts_are_stored_for_the_next_viewer_and_recounted_when_old(client, org, settings):
    from reviews.models import DashboardFigures

    settings.HOTLINE_DASHBOARD_MAX_AGE_SECONDS = 180
    review_return(ticket_in_unit_review(org), actor=org.deputy, reason_codes=["facts_unclear"])
    client.force_login(org.chief)
    assert client.get(reverse("reviews:dashboard")).context["returns_total"] == 1
    stored = DashboardFigures.objects.get(bureau=org.bureau)
    assert stored.computed_at == NOW

    review_return(ticket_in_unit_review(org), actor=org.deputy, reason_codes=["facts_unclear"])
    waiting = ticket_in_unit_review(org)
    soon = client.get(reverse("reviews:dashboard"))
    assert soon.context["returns_total"] == 1  # the stored count: as of the time the page says
    assert "统计时间 10:00" in soon.content.decode()
    assert [ticket.pk for ticket in soon.context["pending"]] == [waiting.pk]  # the waiting list is live

    with time_machine.travel(NOW + dt.timedelta(seconds=181), tick=False):
        later = client.get(reverse("reviews:dashboard"))
    assert later.context["returns_total"] == 2


def test_last_months_figures_are_recounted_on_the_first_of_the_month(client, org):
    from reviews.models import DashboardFigures
    from reviews.services import dashboard_figures_refresh

    review_return(ticket_in_unit_review(org), actor=org.deputy, reason_codes=["facts_unclear"])
    dashboard_figures_refresh(org.bureau.pk, now=NOW - dt.timedelta(days=30))
    client.force_login(org.chief)

    response = client.get(reverse("reviews:dashboard"))

    assert response.context["returns_total"] == 1
    assert DashboardFigures.objects.get(bureau=org.bureau).since == dt.datetime(2026, 10, 1, tzinfo=SHANGHAI)


def test_the_beat_task_counts_every_bureau(org):
    from reviews.models import DashboardFigures
    from reviews.tasks import refresh_dashboards

    other = make_org(code="b2")
    review_return(ticket_in_unit_review(org), actor=org.deputy, reason_codes=["facts_unclear"])

    assert refresh_dashboards() == 2

    stored = {row.bureau_id: row.figures for row in DashboardFigures.objects.all()}
    assert stored[org.bureau.pk]["returns_by_unit"] == [
        {"unit_id": org.office_a.pk, "unit__name": "岳阳所", "count": 1}
    ]
    assert stored[other.bureau.pk]["returns_by_unit"] == []


def test_another_bureaus_chief_sees_only_the_figures_of_their_own_bureau(client, org):
    other = make_org(code="b2")
    review_return(ticket_in_unit_review(org), actor=org.deputy, reason_codes=["facts_unclear"])
    client.force_login(org.chief)
    assert client.get(reverse("reviews:dashboard")).context["returns_total"] == 1  # stores the first bureau's

    client.force_login(other.chief)
    response = client.get(reverse("reviews:dashboard"))

    assert response.context["returns_total"] == 0
    assert response.context["returns_by_unit"] == []
    assert response.context["pending"] == []
