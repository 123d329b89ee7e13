"""The any-period page (reports:period): every figure with its formula and how it is made from the kept months,
year on year, the exports' links; the background count of a period whose months are not kept, with its progress
(reports:period_progress, reports.count_period); scope and query count. Figures of the `years` fixture, worked out
by hand in test_periods.py."""

import pytest
import time_machine
from django.urls import reverse

from org.models import Unit
from reports.models import MonthlyCounts, PeriodCount
from reports.selectors.months import Month
from reports.services import monthly_counts_store, months_counts_live, period_count_run
from reports.tests.conftest import YEARS_NOW, at, ticket

pytestmark = pytest.mark.django_db
URL = reverse("reports:period")
PROGRESS = reverse("reports:period_progress")


@pytest.fixture(autouse=True)
def count_little_live(settings):
    """The fixture's few work orders count as a long period's many: more than 2 months not kept, or a range
    longer than 62 days, are counted in the background whenever they hold any work order."""
    settings.HOTLINE_REPORTS_LIVE_TICKETS = 0


@pytest.fixture
def frozen_years():
    with time_machine.travel(YEARS_NOW, tick=False):
        yield


def keep_year(org, year=2026):
    for month in range(1, 13):
        monthly_counts_store(org.bureau.pk, Month(year, month), now=YEARS_NOW)


def test_year_from_kept_months_every_figure_with_its_formula(client, org, years, frozen_years):
    keep_year(org)
    client.force_login(org.chief)

    response = client.get(URL, {"kind": "year", "year": "2026"})

    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.source == "kept"
    total = figures.total
    # by hand (test_periods.py): 1 return of 6 replies; A2, A3 redone of 4 completed; 4, 4, 9, 9 days -> 6.5
    assert (total.figure("return_rate").numerator, total.figure("return_rate").denominator) == (1, 6)
    assert total.figure("redo_rate").display == "50.0%"
    assert total.figure("processing_days").display == "6.5"
    assert total.figure("processing_days").change_display == "+3.5 个工作日"
    assert [line.name for line in figures.lines] == ["方松所", "岳阳所"]
    html = response.content.decode()
    assert "回退率" in html and "重办率" in html and "回访覆盖率" in html
    assert "退回重办的答复数 ÷ 期内提交的答复数。" in html  # the return rate's formula beside it
    assert "中位数：不是各月中位数之和或平均" in html  # processing time: a median, not added up
    assert "去重计数" in html  # overdue: a distinct count
    assert f'href="{reverse("reports:period_xlsx")}?period=2026"' in html
    assert f'href="{reverse("reports:period_docx")}?period=2026"' in html


def test_a_quarter_by_link_and_a_unit_chosen(client, org, years, frozen_years):
    client.force_login(org.chief)

    response = client.get(URL, {"period": "2026-Q1"})
    chosen = client.get(URL, {"kind": "quarter", "year": "2026", "quarter": "1", "unit": org.office_a.pk})

    # three months not kept: more than HOTLINE_REPORTS_LIVE_MONTHS (2), so counted in the background
    assert response.context["background"] is True
    assert len(response.context["missing"]) == 3
    monthly_counts_store(org.bureau.pk, Month(2026, 1), now=YEARS_NOW)
    figures = client.get(URL, {"kind": "quarter", "year": "2026", "quarter": "1", "unit": org.office_a.pk}).context[
        "figures"
    ]
    assert chosen.context["background"] is True
    assert figures.source == "mixed"
    assert [line.name for line in figures.lines] == ["岳阳所"]
    # Q1 at office A: A1 and A2 received, A2's reply clock overdue in March
    assert figures.lines[0].figure("received").numerator == 2
    assert figures.total.figure("overdue").numerator == 1


def test_a_month_is_counted_while_the_page_waits(client, org, years, frozen_years):
    client.force_login(org.chief)

    figures = client.get(URL, {"kind": "month", "month": "2026-03"}).context["figures"]

    assert figures.source == "live"
    # March: A1 and A2 received; A1 completed after 4 working days
    assert figures.total.figure("received").numerator == 2
    assert figures.total.figure("processing_days").display == "4"


def test_a_unit_leader_sees_own_line_and_the_total(client, org, years, frozen_years):
    keep_year(org)
    client.force_login(org.unit_leader)

    response = client.get(URL, {"kind": "year", "year": "2026", "unit": org.office_b.pk})

    figures = response.context["figures"]
    assert [line.name for line in figures.lines] == ["岳阳所"]  # the unit field is fixed to their own
    assert figures.total.figure("received").numerator == 5


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "month", "month": "2026-13"},
        {"kind": "year", "year": "1999"},
        {"kind": "year", "year": "99999"},
        {"kind": "year"},
        {"kind": "range", "date_from": "2026-03-01"},
        {"kind": "range", "date_from": "2026-03-01", "date_to": "2026-01-01"},
        {"kind": "range", "date_from": "2025-01-01", "date_to": "2026-06-30"},
        {"kind": "week"},
    ],
)
def test_a_bad_period_is_a_form_error(client, org, frozen_years, query):
    client.force_login(org.chief)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert response.context["figures"] is None
    assert not response.context["form"].is_valid()


@pytest.mark.parametrize(("person", "status"), [("handler", 403), ("dispatcher", 403), ("unit_leader", 200)])
def test_who_may_open_it(client, org, frozen_years, person, status):
    client.force_login(getattr(org, person))

    assert client.get(URL).status_code == status
    assert client.get(PROGRESS, {"period": "2026"}).status_code == status


def test_query_count_does_not_grow_with_units_or_months(client, org, years, frozen_years):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    keep_year(org)
    client.force_login(org.chief)
    query = {"kind": "year", "year": "2026"}
    client.get(URL, query)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, query).context["figures"].source == "kept"
        return len(captured)

    before = queries()
    for n in range(4):
        unit = Unit.objects.create(bureau=org.bureau, code=f"n{n}", name=f"新所{n}", kind="office")
        for month in (1, 4, 7, 11):
            ticket(org.bureau, unit, at(2026, month, 3))
    keep_year(org)
    # session, user, the form's units, the kept rows (checked, then read), the background count's row, the units
    # shown, the bell
    assert queries() == before == 8


def test_background_count_of_a_year_with_progress(client, org, years, frozen_years, monkeypatch):
    published = []
    monkeypatch.setattr("reports.views_period.task_publish", lambda name, args: published.append((name, args)))
    client.force_login(org.chief)
    assert client.get(URL, {"period": "2026"}).context["background"] is True

    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(reverse("reports:period_count"), {"period": "2026"})

    assert response.status_code == 302
    assert published == [("reports.count_period", [org.bureau.pk, "2026"])]
    assert client.get(PROGRESS, {"period": "2026"}).json() == {
        "status": "queued",
        "done": 0,
        "total": 0,
        "percent": 0,
        "label": "排队中",
    }
    page = client.get(URL, {"period": "2026"})
    assert 'data-testid="progress"' in page.content.decode()

    seen = []
    original = months_counts_live

    def count_and_look(bureau_id, months, *, now, step, parallel=False):
        def step_and_look():
            step()
            seen.append(client.get(PROGRESS, {"period": "2026"}).json()["done"])

        return original(bureau_id, months, now=now, step=step_and_look, parallel=parallel)

    monkeypatch.setattr("reports.services.months_counts_live", count_and_look)
    row = period_count_run(org.bureau.pk, "2026")

    # the twelve months are counted together, one aggregate at a time: the progress moves after each aggregate
    assert seen == list(range(1, 11))
    # the 10 aggregates, keeping the 12 months, then the annual sections
    assert (row.status, row.done, row.total) == ("done", 12, 12)
    assert MonthlyCounts.objects.filter(bureau=org.bureau, month__year=2026).count() == 12
    assert client.get(PROGRESS, {"period": "2026"}).json()["percent"] == 100
    figures = client.get(URL, {"period": "2026"}).context["figures"]
    assert figures.source == "kept"
    assert figures.total.figure("return_rate").display == "16.7%"


def test_background_count_of_a_long_range_keeps_its_counts(client, org, years, frozen_years):
    client.force_login(org.chief)
    query = {"kind": "range", "date_from": "2026-03-02", "date_to": "2026-06-30"}
    assert client.get(URL, query).context["background"] is True
    PeriodCount.objects.create(bureau=org.bureau, period="2026-03-02..2026-06-30", requested_at=YEARS_NOW)

    row = period_count_run(org.bureau.pk, "2026-03-02..2026-06-30")

    assert (row.status, row.done, row.total) == ("done", 9, 9)  # the range's 9 aggregates, in one pass
    figures = client.get(URL, query).context["figures"]
    assert figures.source == "background"
    # A1, A2 (March), A3 (June) and B1 (May) received
    assert figures.total.figure("received").numerator == 4


def test_progress_of_a_bad_period_is_400(client, org, frozen_years):
    client.force_login(org.chief)

    response = client.get(PROGRESS, {"period": "2026-13"})

    assert response.status_code == 400
    assert client.get(PROGRESS, {"period": "2026"}).json()["status"] == "none"
