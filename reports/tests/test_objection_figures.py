"""Dispatch objections in any period's figures and the annual assessment (reports.selectors.counting.
objection_counts): hand-built objections at two units over two years, each figure worked out by hand below."""

import datetime as dt

import pytest

from reports.assessment import assessment_scores
from reports.periods import Period, period_figures
from reports.selectors import Month
from reports.services import monthly_counts_store
from reports.tests.conftest import YEARS_NOW as NOW
from reports.tests.conftest import at, ticket
from tickets.models import DispatchObjection

pytestmark = pytest.mark.django_db
KEYS = ("objections", "objections_upheld", "objections_rejected", "objection_hours")


def objection(org, unit, raised_at, *, status="pending", decided_at=None, minutes=None):
    made = ticket(org.bureau, unit, raised_at - dt.timedelta(hours=3))
    return DispatchObjection.objects.create(
        ticket=made,
        unit=unit,
        dispatched_at=raised_at - dt.timedelta(hours=2),
        raised_by=org.handler,
        raised_at=raised_at,
        reason_code="wrong_area",
        text="不属本辖区",
        status=status,
        decided_by=org.reviewer if decided_at else None,
        decided_at=decided_at,
        decision_working_minutes=minutes,
    )


@pytest.fixture
def objections(org, calendar_2026):
    a, b = org.office_a, org.office_b
    # office A, March 2026: raised three; one rejected after 21 working hours, one upheld after 1.5 (whole hours: 1)
    objection(org, a, at(2026, 3, 6, 12), status="rejected", decided_at=at(2026, 3, 9, 9), minutes=21 * 60)
    objection(org, a, at(2026, 3, 10, 9), status="upheld", decided_at=at(2026, 3, 10, 10, 30), minutes=90)
    # raised on 31 March, rejected on 1 April after 5 working hours: raised in March, decided in April
    objection(org, a, at(2026, 3, 31, 22), status="rejected", decided_at=at(2026, 4, 1, 3), minutes=300)
    # office B: one pending
    objection(org, b, at(2026, 3, 12, 9))
    # a year earlier, office A: one upheld after 2 working hours
    objection(org, a, at(2025, 3, 5, 9), status="upheld", decided_at=at(2025, 3, 5, 11), minutes=120)


def got(line):
    return {key: (line.figure(key).numerator, line.figure(key).display) for key in KEYS}


def lines(figures, org):
    by_unit = {line.unit_id: line for line in figures.lines}
    return by_unit[org.office_a.pk], by_unit[org.office_b.pk]


def test_march_counted_by_hand(org, objections):
    figures = period_figures(org.bureau, dt.date(2026, 3, 1), dt.date(2026, 3, 31), now=NOW)
    a, b = lines(figures, org)

    # A: 3 raised in March; of those decided in March 1 upheld, 1 rejected; hours 21 and 1: the median is 11
    assert got(a) == {
        "objections": (3, "3"),
        "objections_upheld": (1, "1"),
        "objections_rejected": (1, "1"),
        "objection_hours": (2, "11"),
    }
    # a year earlier: 1 raised, 1 upheld after 2 hours -> +200.00% raised, the median +9 working hours
    assert a.figure("objections").change_display == "+200.00%"
    assert a.figure("objection_hours").previous_display == "2"
    assert a.figure("objection_hours").change_display == "+9 个工作小时"
    assert got(b) == {
        "objections": (1, "1"),
        "objections_upheld": (0, "0"),
        "objections_rejected": (0, "0"),
        "objection_hours": (0, "—"),
    }
    assert got(figures.total)["objections"] == (4, "4")


def test_the_year_and_its_kept_months_agree(org, objections):
    live = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)
    a, _b = lines(live, org)
    # 3 raised; decided in the year: 1 upheld, 2 rejected; hours 1, 5, 21: the median is 5
    assert got(a) == {
        "objections": (3, "3"),
        "objections_upheld": (1, "1"),
        "objections_rejected": (2, "2"),
        "objection_hours": (3, "5"),
    }
    april = period_figures(org.bureau, dt.date(2026, 4, 1), dt.date(2026, 4, 30), now=NOW)
    assert got(lines(april, org)[0]) == {
        "objections": (0, "0"),
        "objections_upheld": (0, "0"),
        "objections_rejected": (1, "1"),
        "objection_hours": (1, "5"),
    }
    for month in range(1, 13):
        monthly_counts_store(org.bureau.pk, Month(2026, month), now=NOW)
    kept = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)
    assert kept.source == "kept"
    assert got(lines(kept, org)[0]) == got(a)
    assert got(kept.total) == got(live.total)


def test_a_rejected_objection_costs_its_points_in_the_assessment(org, objections):
    figures = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)
    scores = {s.unit_id: s for s in assessment_scores(figures, {"deductions": {"objections_rejected": "-1"}})}

    (item,) = scores[org.office_a.pk].items
    assert (item.text, str(item.points)) == ("被驳回的派单异议 2 × −1 = −2", "-2.00")
    assert str(scores[org.office_b.pk].score) == "0.00"
    assert Period.year(2026).code == "2026"


# ---------------------------------------------------------------- the monthly briefing's columns and its CSV


def _briefing_cells(rows, header, name):
    """A line's raised / upheld / rejected as the CSV gives them (each count, then its year-earlier and change)."""
    row = next(r for r in rows if r[0] == name)
    return tuple(row[header.index(label)] for label in ("派单异议数", "异议成立数", "异议驳回数"))


def test_the_briefing_page_shows_the_units_objections(client, org, objections):
    from django.urls import reverse

    client.force_login(org.chief)

    response = client.get(reverse("reports:index"), {"month": "2026-03"})

    assert response.status_code == 200
    briefing = response.context["briefing"]
    assert [m.key for m in briefing.metrics][-3:] == ["objections", "objections_upheld", "objections_rejected"]
    by_unit = {line.unit_id: line for line in briefing.lines}
    # the same counts as the any-period figures of March (raised by raised_at, decided by decided_at)
    figures = {
        line.unit_id: line
        for line in period_figures(org.bureau, dt.date(2026, 3, 1), dt.date(2026, 3, 31), now=NOW).lines
    }
    for unit in (org.office_a, org.office_b):
        for key in KEYS[:3]:
            assert by_unit[unit.pk].figure(key).numerator == figures[unit.pk].figure(key).numerator
    assert [by_unit[org.office_a.pk].figure(key).numerator for key in KEYS[:3]] == [3, 1, 1]
    assert briefing.total.figure("objections").numerator == 4
    text = response.content.decode()
    for label in ("派单异议数", "异议成立数", "异议驳回数"):
        assert f'<th class="num">{label}</th>' in text


def test_the_briefing_csv_has_the_objection_columns(client, org, objections):
    import csv
    import io

    from django.urls import reverse

    client.force_login(org.chief)

    body = client.get(reverse("reports:briefing_csv"), {"month": "2026-03"}).content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(body)))
    header = rows[0]
    assert _briefing_cells(rows, header, org.office_a.name) == ("3", "1", "1")
    assert _briefing_cells(rows, header, org.office_b.name) == ("1", "0", "0")
    assert _briefing_cells(rows, header, "局合计") == ("4", "1", "1")
    # a year earlier and the change, as every count
    assert rows[[r[0] for r in rows].index(org.office_a.name)][header.index("派单异议数：2025-03")] == "1"
