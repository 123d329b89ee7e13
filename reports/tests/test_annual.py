"""The annual report (《年度报告》): totals, trends as SVG, units, tops, named returns and unsatisfied callbacks,
typical cases, inspections, training; scope and query count."""

import pytest
from django.urls import reverse

from org.models import Unit
from reports.tests.conftest import at, ticket

pytestmark = pytest.mark.django_db
URL = reverse("reports:annual")


def test_page_for_the_year_in_progress(client, org, data, frozen):
    client.force_login(org.chief)

    response = client.get(URL, {"year": "2026"})

    assert response.status_code == 200
    report = response.context["report"]
    total = report.figures.total
    # received in 2026 at the two offices: T1, T2, T3 (A), T4 (B), 31 Aug and 1 Oct (A); 2025: T5, T6
    assert (total.figure("received").numerator, total.figure("received").previous_numerator) == (6, 2)
    # September's callbacks: T1 satisfied, T2 unsatisfied, T4 basically satisfied -> 2/3
    assert (total.figure("satisfaction").numerator, total.figure("satisfaction").denominator) == (2, 3)
    assert [line.name for line in report.figures.lines] == ["方松所", "岳阳所"]
    # the trend: one line per month, September's 4 work orders received against 2 in September 2025
    assert len(report.months) == 12
    september = report.months[8].figure("received")
    assert (september.numerator, september.previous_numerator) == (4, 2)
    # X: T1, T2 (the other bureau's T9 left out); Y: T4, 31 Aug, 1 Oct; none in 2025 (T5, T6 have none)
    assert sorted((b.name, b.count, b.previous) for b in report.hotspots.businesses_by_count) == [
        ("某某教育科技有限公司", 2, 0),
        ("某某超市", 3, 0),
    ]
    # the return of T1 on 12 Sep 2026 (T5's was in 2025, the other bureau's is not ours); T2's unsatisfied callback
    assert report.returns_total == 1 and report.unsatisfied_total == 1
    assert (report.returns[0]["unit"], report.returns[0]["reasons"]) == ("岳阳所", ["事实不清"])
    assert report.unsatisfied[0]["unit"] == "岳阳所"
    html = response.content.decode()
    assert "年度报告" in html
    # work orders by month, the five indicators by month: SVG drawn on the server
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2
    assert "9月" in html
    assert "回退率" in html and "重办率" in html


def test_a_unit_leader_sees_own_unit_and_the_totals(client, org, data, frozen):
    client.force_login(org.unit_leader)

    report = client.get(URL, {"year": "2026"}).context["report"]

    assert [line.name for line in report.figures.lines] == ["岳阳所"]
    assert report.figures.total.figure("received").numerator == 6
    assert report.unsatisfied_total == 1  # T2's, at office A


def test_named_lists_and_training_and_inspections_are_scoped(client, org, data, frozen):
    from reviews.models import TrainingAttendance, TrainingSession

    session = TrainingSession.objects.create(bureau=org.bureau, title="投诉处理规范", held_on=at(2026, 3, 5).date())
    TrainingAttendance.objects.create(session=session, person=org.handler, unit=org.office_a, held_on=session.held_on)
    TrainingAttendance.objects.create(session=session, person=org.handler_b, unit=org.office_b, held_on=session.held_on)
    client.force_login(org.chief)

    report = client.get(URL, {"year": "2026"}).context["report"]

    assert report.training_total == 2
    assert [(row["unit"], row["person_times"]) for row in report.training] == [("方松所", 1), ("岳阳所", 1)]
    client.force_login(org.unit_leader)
    assert client.get(URL, {"year": "2026"}).context["report"].training_total == 1


def test_query_count_does_not_grow_with_units_or_months(client, org, data, frozen, django_assert_max_num_queries):
    client.force_login(org.chief)
    client.get(URL, {"year": "2026"})  # counts the months and keeps nothing: the year's months are read live

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"year": "2026"}).status_code == 200
        return len(captured)

    before = queries()
    for n in range(4):
        unit = Unit.objects.create(bureau=org.bureau, code=f"n{n}", name=f"新所{n}", kind="office")
        for month in (1, 4, 7, 11):
            ticket(org.bureau, unit, at(2026, month, 3))
    assert queries() == before


@pytest.mark.parametrize("year", ["1999", "2027", "abc"])
def test_a_bad_year_is_a_form_error(client, org, frozen, year):
    client.force_login(org.chief)

    response = client.get(URL, {"year": year})

    assert response.status_code == 200
    assert response.context["report"] is None
    assert 'data-testid="year-error"' in response.content.decode()


def test_default_is_last_year(client, org, frozen):
    client.force_login(org.chief)

    assert client.get(URL).context["report"].year == 2025


@pytest.mark.parametrize(("person", "status"), [("handler", 403), ("dispatcher", 403), ("unit_leader", 200)])
def test_who_may_open_it(client, org, frozen, person, status):
    client.force_login(getattr(org, person))

    assert client.get(URL).status_code == status


def test_a_closed_year_is_read_from_kept_counts_in_a_fixed_number_of_queries(
    client, org, years, django_assert_num_queries
):
    import time_machine

    from reports.models import AnnualCounts
    from reports.selectors.months import Month
    from reports.services import monthly_counts_store
    from reports.tests.conftest import YEARS_NOW

    with time_machine.travel(YEARS_NOW, tick=False):
        for month in range(1, 13):
            monthly_counts_store(org.bureau.pk, Month(2026, month), now=YEARS_NOW)
        client.force_login(org.chief)
        first = client.get(URL, {"year": "2026"}).context["report"]  # counts the sections once and keeps them
        assert AnnualCounts.objects.filter(bureau=org.bureau, year=2026).count() == 1
        for n in range(3):  # more units and work orders: the kept year does not move, nor its query count
            unit = Unit.objects.create(bureau=org.bureau, code=f"k{n}", name=f"新所{n}", kind="office")
            ticket(org.bureau, unit, at(2026, 5, 3))

        # session, user, the kept months twice (which are usable, without their counts; then the counts, for the
        # figures and the trends), the units, the kept sections, the bell
        with django_assert_num_queries(7):
            response = client.get(URL, {"year": "2026"})

    report = response.context["report"]
    assert report.figures.source == "kept"
    # by hand (test_periods.py): 5 work orders in 2026 against 2; A2's return on 26 March; A3's unsatisfied callback
    assert (report.figures.total.figure("received").numerator, report.returns_total, report.unsatisfied_total) == (
        5,
        1,
        1,
    )
    assert report.returns[0]["at"] == at(2026, 3, 26)
    assert report.returns[0]["reasons"] == ["事实不清"]
    assert [line.name for line in first.figures.lines] == ["方松所", "岳阳所"]
    # the new units are listed (every unit of the bureau is), with nothing: the kept months do not move
    assert [line.figure("received").numerator for line in report.figures.lines] == [2, 0, 0, 0, 3]


def test_a_year_not_kept_with_many_work_orders_is_counted_in_the_background(client, org, years, settings):
    import time_machine

    from reports.models import AnnualCounts, PeriodCount
    from reports.services import period_count_run
    from reports.tests.conftest import YEARS_NOW

    settings.HOTLINE_REPORTS_LIVE_TICKETS = 0  # the fixture's few work orders count as many
    with time_machine.travel(YEARS_NOW, tick=False):
        client.force_login(org.chief)
        response = client.get(URL, {"year": "2026"})
        assert response.context["report"] is None
        assert 'data-testid="count-in-background"' in response.content.decode()
        PeriodCount.objects.create(bureau=org.bureau, period="2026", requested_at=YEARS_NOW)

        row = period_count_run(org.bureau.pk, "2026")
        report = client.get(URL, {"year": "2026"}).context["report"]

    # the 12 months counted in one pass (10 aggregates), kept, then the report's sections
    assert (row.status, row.done, row.total) == ("done", 12, 12)
    assert AnnualCounts.objects.filter(bureau=org.bureau, year=2026).count() == 1
    assert report.figures.source == "kept"
    assert report.figures.total.figure("received").numerator == 5
