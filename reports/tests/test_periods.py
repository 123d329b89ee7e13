"""Any period's figures (reports.periods) against hand-built rows over two years at two units, each figure
worked out by hand below; the kept monthly counts add up to the same figures as a count of the whole period."""

import datetime as dt

import pytest
import time_machine

from reports.periods import Period, months_figures, period_figures, period_figures_for_user, period_parse
from reports.selectors import Month, briefing_for_user
from reports.services import monthly_counts_store
from reports.tests.conftest import NOW as SEPTEMBER_NOW
from reports.tests.conftest import YEARS_NOW as NOW

pytestmark = pytest.mark.django_db


def got(line, *keys):
    return {key: (line.figure(key).numerator, line.figure(key).denominator, line.figure(key).display) for key in keys}


NEW = ("return_rate", "redo_rate", "callback_coverage", "processing_days", "overdue", "received")


def test_year_office_a_counted_by_hand(org, years):
    figures = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)
    line = next(line for line in figures.lines if line.unit_id == org.office_a.pk)

    assert figures.period == Period.year(2026)
    assert figures.year_earlier == Period.year(2025)
    assert got(line, *NEW) == {
        # 1 return (A2) over 5 replies (A1 once, A2 twice, A3 twice)
        "return_rate": (1, 5, "20.0%"),
        # A2 (returned) and A3 (reopened) of the 3 completed
        "redo_rate": (2, 3, "66.7%"),
        # A1 and A2 substantiated (partly counts); only A1 called back
        "callback_coverage": (1, 2, "50.0%"),
        # 4, 9, 9 working days: the median is 9 (of 3 work orders)
        "processing_days": (3, 3, "9"),
        # A2, overdue in March and in April, once
        "overdue": (1, None, "1"),
        "received": (3, None, "3"),
    }
    # 2025: 0 returns of 1 reply -> +20.0 points; 0 of 1 redone -> +66.7; 1/1 covered -> -50.0; 4 days -> +5
    assert [line.figure(k).change_display for k in NEW] == [
        "+20.0 个百分点",
        "+66.7 个百分点",
        "\u221250.0 个百分点",
        "+5 个工作日",
        "—",
        "+200.00%",
    ]
    assert line.figure("sign_off").display == "100.0%"  # 3 of 3 (A2: Friday's deadline is Monday's end)
    assert (line.figure("on_time_completion").numerator, line.figure("on_time_completion").denominator) == (1, 2)


def test_year_office_b_and_the_total(org, years):
    figures = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)
    b = next(line for line in figures.lines if line.unit_id == org.office_b.pk)

    assert got(b, *NEW) == {
        "return_rate": (0, 1, "0.0%"),
        "redo_rate": (0, 1, "0.0%"),
        "callback_coverage": (1, 1, "100.0%"),
        "processing_days": (1, 1, "4"),
        "overdue": (1, None, "1"),  # B2
        "received": (2, None, "2"),
    }
    # 2025 at B: 1 return of 2 replies, B0 redone, 2 working days
    assert [b.figure(k).previous_display for k in ("return_rate", "redo_rate", "processing_days")] == [
        "50.0%",
        "100.0%",
        "2",
    ]
    assert b.figure("sign_off").display == "0.0%"  # B1 signed for late, B2 never
    # the total adds numerators and denominators: 1/6 returns, 2/4 redone, 2/3 covered; 4, 4, 9, 9 -> 6.5
    assert got(figures.total, *NEW) == {
        "return_rate": (1, 6, "16.7%"),
        "redo_rate": (2, 4, "50.0%"),
        "callback_coverage": (2, 3, "66.7%"),
        "processing_days": (4, 4, "6.5"),
        "overdue": (2, None, "2"),
        "received": (5, None, "5"),
    }
    # 2025: 4 and 2 days -> 3; 6.5 - 3 = +3.5
    assert figures.total.figure("processing_days").change_display == "+3.5 个工作日"


def test_quarters_and_months_count_the_overdue_work_order_in_each(org, years):
    q1 = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 3, 31), now=NOW)
    q2 = period_figures(org.bureau, dt.date(2026, 4, 1), dt.date(2026, 6, 30), now=NOW)
    months = months_figures(org.bureau, Period.year(2026), now=NOW)

    assert (q1.period.kind, q1.period.code) == ("quarter", "2026-Q1")
    assert q1.total.figure("overdue").numerator == 1  # A2's reply clock (March)
    assert q2.total.figure("overdue").numerator == 1  # A2's verification clock (April)
    assert [m.total.figure("overdue").numerator for m in months] == [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [m.total.figure("received").numerator for m in months] == [0, 0, 2, 0, 1, 1, 0, 0, 0, 0, 0, 1]
    # Q1: A1 completed in March (4 days); A2 completed in April is in Q2 (9 days) with A3 (9) and B1 (4)
    assert q1.total.figure("processing_days").display == "4"
    assert q2.total.figure("processing_days").display == "9"


def test_kept_months_add_up_to_the_count_of_the_whole_period(org, years):
    live_year = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)
    # a range not on a month's edge is counted in one pass over all of it (31 December 2025 holds nothing)
    whole_range = period_figures(org.bureau, dt.date(2025, 12, 31), dt.date(2026, 12, 31), now=NOW)
    for month in range(1, 13):
        monthly_counts_store(org.bureau.pk, Month(2026, month), now=NOW)
    kept_year = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)

    def shown(figures):
        return [
            [(f.numerator, f.denominator, f.display, f.previous_display) for f in line.figures]
            for line in [*figures.lines, figures.total]
        ]

    assert (live_year.source, whole_range.source, kept_year.source) == ("live", "live", "kept")
    assert shown(kept_year) == shown(live_year)
    assert [[f.display for f in line.figures] for line in [*whole_range.lines, whole_range.total]] == [
        [f.display for f in line.figures] for line in [*live_year.lines, live_year.total]
    ]


def test_kept_year_reads_in_a_fixed_number_of_queries(org, years, django_assert_num_queries):
    for month in range(1, 13):
        monthly_counts_store(org.bureau.pk, Month(2026, month), now=NOW)

    # the twelve kept rows, the units
    with django_assert_num_queries(2):
        figures = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=NOW)

    assert figures.source == "kept"


def test_a_month_matches_the_briefing(org, data):
    with time_machine.travel(SEPTEMBER_NOW, tick=False):
        briefing = briefing_for_user(org.chief, month=Month(2026, 9))
        figures = period_figures(org.bureau, dt.date(2026, 9, 1), dt.date(2026, 9, 30))

    assert figures.period.kind == "month"
    for mine, theirs in zip([*figures.lines, figures.total], [*briefing.lines, briefing.total], strict=True):
        assert mine.unit_id == theirs.unit_id
        assert [(f.numerator, f.denominator, f.change_display) for f in theirs.figures] == [
            (
                mine.figure(f.metric.key).numerator,
                mine.figure(f.metric.key).denominator,
                mine.figure(f.metric.key).change_display,
            )
            for f in theirs.figures
        ]


def test_unit_filter_and_readers(org, years):
    only_a = period_figures(org.bureau, dt.date(2026, 1, 1), dt.date(2026, 12, 31), unit=org.office_a, now=NOW)
    leader = period_figures_for_user(org.unit_leader, Period.year(2026), now=NOW)
    handler = period_figures_for_user(org.handler, Period.year(2026), now=NOW)

    assert [line.unit_id for line in only_a.lines] == [org.office_a.pk]
    assert only_a.total.figure("received").numerator == 5
    assert [line.unit_id for line in leader.lines] == [org.office_a.pk]
    assert leader.total.figure("received").numerator == 5
    assert (handler.lines, handler.total) == ([], None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year")),
        ("2026-Q3", Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30), "quarter")),
        ("2026-02", Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28), "month")),
        ("2026-01-05..2026-02-10", Period(dt.date(2026, 1, 5), dt.date(2026, 2, 10), "range")),
    ],
)
def test_period_parse_accepts(text, expected):
    assert period_parse(text, now=NOW) == expected
    assert period_parse(expected.code, now=NOW) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-Q5",
        "2026-13",
        "2026-02-30..2026-03-01",
        "2026-03-01..2026-02-01",
        "1999",
        "2027-02",
        "2025-01-01..2026-01-02",
        "2026-01-01 .. 2026-02-01",
    ],
)
def test_period_parse_refuses(text):
    with pytest.raises(ValueError):
        period_parse(text, now=NOW)


def test_year_earlier_keeps_whole_months():
    assert Period.month(2028, 2).year_earlier() == Period(dt.date(2027, 2, 1), dt.date(2027, 2, 28), "month")
    assert Period(dt.date(2028, 2, 29), dt.date(2028, 3, 5)).year_earlier() == Period(
        dt.date(2027, 2, 28), dt.date(2027, 3, 5)
    )
