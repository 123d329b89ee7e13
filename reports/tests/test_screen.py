"""The leader's screen (数据大屏): the page, its data.json, who may open them, and the kept figures."""

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.urls import reverse

from reports.tests.conftest import NOW, at, clock, ticket
from tickets.choices import Clock, Status
from tickets.models import Category

pytestmark = pytest.mark.django_db
URL = reverse("reports:screen")
DATA_URL = reverse("reports:screen_data")

ALERT_FIGURES = {
    "rows": [
        {"kind": "business", "label": "同一经营者", "total": 3, "day": 1, "week": 1, "month": 0, "older": 1},
        {"kind": "complainant", "label": "同一投诉人", "total": 0, "day": 0, "week": 0, "month": 0, "older": 0},
    ],
    "totals": {"total": 3, "day": 1, "week": 1, "month": 0, "older": 1},
    "bands": ["day", "week", "month", "older"],
}
asked = []


def alerts_stub(bureau_id, *, now):
    """Stands in for alerts.selectors.open_alerts_by_kind_and_age (settings.HOTLINE_SCREEN_ALERTS)."""
    asked.append((bureau_id, now))
    return ALERT_FIGURES


STUB = "reports.tests.test_screen.alerts_stub"


@pytest.fixture
def today(org, calendar_2026, frozen):
    """15 October 2026, 10:00 Shanghai (NOW). Office A: 2 received today (one overdue), 1 open from September
    and overdue, 1 completed today; office B: 2 open, not overdue. Categories this month: food 2, price 1."""
    food, price = Category.objects.get(code="food"), Category.objects.get(code="price")
    a, b = org.office_a, org.office_b
    late = ticket(org.bureau, a, at(2026, 10, 15, 8), category=food, status=Status.DISPATCHED)
    late.next_clock_due_at = at(2026, 10, 15, 9)
    late.save()
    ticket(org.bureau, a, at(2026, 10, 15, 0, 0), category=price, status=Status.RECEIVED)
    old = ticket(org.bureau, a, at(2026, 9, 20), status=Status.IN_PROGRESS, next_clock_due_at=at(2026, 10, 1))
    clock(old, Clock.REPLY, at(2026, 10, 1), met_at=None)
    ticket(org.bureau, a, at(2026, 10, 2), category=food, status=Status.COMPLETED, completed_at=at(2026, 10, 15, 9))
    ticket(org.bureau, b, at(2026, 10, 14, 23, 59), status=Status.ACCEPTED, next_clock_due_at=at(2026, 10, 20))
    ticket(org.bureau, b, at(2026, 9, 30), category=food)  # last month: not hot this month, not today


@override_settings(HOTLINE_SCREEN_ALERTS=STUB)
def test_data_has_todays_intake_open_and_overdue_indicators_categories_and_alerts(client, org, today):
    client.force_login(org.leader)
    asked.clear()

    response = client.get(DATA_URL)

    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2026-10-15 10:00:00"
    # received since midnight: the 08:00 and the 00:00 ones (not 23:59 the day before); completed at 09:00
    assert data["today"] == {"received": 2, "completed": 1}
    # open at A: dispatched (due 09:00: overdue), received, in progress (due 1 Oct: overdue); at B: accepted
    # (due 20 Oct) and September's received one; units in the briefing's order (offices by code)
    assert data["units"] == [
        {"name": "方松所", "open": 2, "overdue": 0},
        {"name": "岳阳所", "open": 3, "overdue": 2},
    ]
    assert (data["open_total"], data["overdue_total"]) == (5, 2)
    assert data["month"] == "2026-10"
    assert data["metrics"] == ["先行联系率", "及时签收率", "按时办结率", "实际解决率", "满意率"]
    assert [line["name"] for line in data["indicators"]] == ["方松所", "岳阳所"]
    assert data["indicators_total"]["name"] == "局合计"
    # October's reply clock at A fell due on 1 Oct and was not met: 0 of 1 on time
    assert data["indicators_total"]["counts"][2] == "0/1"
    assert data["categories"] == [{"name": "食品", "count": 2}, {"name": "价格", "count": 1}]
    assert data["alerts"] == {"available": True, **ALERT_FIGURES}
    assert asked == [(org.bureau.pk, NOW)]


@override_settings(HOTLINE_SCREEN_ALERTS="alerts.selectors.no_such_function")
def test_without_the_alerts_function_the_screen_says_so(client, org, today):
    client.force_login(org.leader)

    data = client.get(DATA_URL).json()

    assert data["alerts"]["available"] is False
    assert data["labels"]["alerts_missing"] == "未安装集中投诉预警：无数据。"


@override_settings(HOTLINE_SCREEN_ALERTS=STUB)
def test_page_is_full_screen_with_its_script_and_first_figures(client, org, today):
    client.force_login(org.chief)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="screen"' in html
    assert "mainnav" not in html  # no top bar on a wall
    assert '<script src="/static/js/screen.js"></script>' in html
    assert f'data-url="{DATA_URL}" data-refresh="30"' in html
    embedded = html.split('<script type="application/json" id="screen-data">')[1].split("</script>")[0]
    assert json.loads(embedded)["today"] == {"received": 2, "completed": 1}
    assert "<script>" not in html  # nothing inline (the CSP forbids it)


@override_settings(HOTLINE_SCREEN_ALERTS=STUB, HOTLINE_SCREEN_SECONDS=15)
def test_figures_are_kept_a_few_seconds_per_bureau(client, org, today, frozen):
    client.force_login(org.leader)
    client.get(DATA_URL)
    ticket(org.bureau, org.office_a, NOW, status=Status.RECEIVED)

    kept = client.get(DATA_URL).json()
    assert kept["today"]["received"] == 2

    from core.process_cache import invalidate_all

    invalidate_all()  # as when HOTLINE_SCREEN_SECONDS have passed
    assert client.get(DATA_URL).json()["today"]["received"] == 3


@override_settings(HOTLINE_SCREEN_ALERTS=STUB)
def test_data_query_count_does_not_grow_with_units(client, org, today, django_assert_num_queries):
    from core.process_cache import invalidate_all
    from org.models import Unit

    client.force_login(org.leader)
    client.get(DATA_URL)  # the month's counts kept, the calendar and navigation cached

    # session, user; the kept month; units (briefing); today's received, completed; open by unit; units;
    # hot categories (the alerts stub asks nothing)
    invalidate_all()
    with django_assert_num_queries(9):
        client.get(DATA_URL)
    for n in range(4):
        unit = Unit.objects.create(bureau=org.bureau, code=f"n{n}", name=f"新所{n}", kind="office")
        ticket(org.bureau, unit, at(2026, 10, 15, 9), status=Status.RECEIVED)
    invalidate_all()
    with django_assert_num_queries(9):
        client.get(DATA_URL)


@pytest.mark.parametrize(
    ("person", "status"),
    [("leader", 200), ("chief", 200), ("reviewer", 200), ("unit_leader", 403), ("handler", 403), ("dispatcher", 403)],
)
def test_who_may_open_it(client, org, person, status):
    client.force_login(getattr(org, person))

    assert client.get(URL).status_code == status
    assert client.get(DATA_URL).status_code == status


def test_data_answers_403_not_a_redirect_when_signed_out(client, db):
    assert client.get(DATA_URL).status_code == 403
    assert client.get(URL).status_code == 302


def test_screen_ignores_other_bureaus(client, org, today):
    from org.tests.factories import make_org

    other = make_org("qp")
    ticket(other.bureau, other.office_a, NOW - dt.timedelta(hours=1), status=Status.RECEIVED)
    client.force_login(org.leader)

    with override_settings(HOTLINE_SCREEN_ALERTS=STUB):
        assert client.get(DATA_URL).json()["today"]["received"] == 2
