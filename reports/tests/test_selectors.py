"""The briefing's figures against the hand-built rows of conftest.data, each worked out by hand below."""

import pytest
import time_machine

from reports.selectors import Month, briefing_for_user, month_default, month_parse
from reports.tests.conftest import NOW

pytestmark = pytest.mark.django_db
SEPTEMBER = Month(2026, 9)


def figures(line):
    """key -> (numerator, denominator, display, change display)."""
    return {f.metric.key: (f.numerator, f.denominator, f.display, f.change_display) for f in line.figures}


@pytest.fixture
def briefing(org, data):
    with time_machine.travel(NOW, tick=False):
        return briefing_for_user(org.chief, month=SEPTEMBER)


def test_briefing_lines_are_the_field_units_in_order(briefing, org):
    assert [(line.unit_id, line.name) for line in briefing.lines] == [
        (org.office_b.pk, "方松所"),  # unit code "fs" before "yy"
        (org.office_a.pk, "岳阳所"),
    ]
    assert briefing.year_earlier == Month(2025, 9)


def test_briefing_office_a_figures_counted_by_hand(briefing, org):
    line = next(line for line in briefing.lines if line.unit_id == org.office_a.pk)

    got = figures(line)

    assert got == {
        # T1 T2 T3 received in September (the 31 August 23:59 and 1 October 00:00 ones are not); 2025: T5 T6
        "received": (3, None, "3", "+50.00%"),
        # first contact: T1 on time, T2 late, T3 open past due = 1/3; 2025: 1/1 -> 33.3 - 100 = -66.7 points
        "first_contact": (1, 3, "33.3%", "\u221266.7 个百分点"),
        # sign-off by the end of the next working day: T1 yes, T2 (10 Sept 09:00 > 9 Sept 23:59:59) no, T3 never
        "sign_off": (1, 3, "33.3%", "\u221266.7 个百分点"),
        # reply: T1 met late, T2 on time, T3 open and past due (30 Sept); 2025: 1/1
        "on_time_completion": (1, 3, "33.3%", "\u221266.7 个百分点"),
        # callbacks: T1 resolved, T2 partly (not resolved); 2025: 1/1
        "resolution": (1, 2, "50.0%", "\u221250.0 个百分点"),
        # T1 satisfied, T2 unsatisfied; 2025: 1/1
        "satisfaction": (1, 2, "50.0%", "\u221250.0 个百分点"),
        # tracks of T1 (substantiated), T2 (unsubstantiated, partly) = 2/3; 2025: 1/1 -> -33.3 points
        "substantiation": (2, 3, "66.7%", "\u221233.3 个百分点"),
        # T2 has a case number; last year none: no base for a per cent change
        "conversions": (1, None, "1", "—"),
        # complaint and composite work orders completed: T1, T2; 2025: 0 of T5 -> +50 points
        "conversion_rate": (1, 2, "50.0%", "+50.0 个百分点"),
        "returns": (1, None, "1", "0.00%"),
        "unsatisfied": (1, None, "1", "—"),
        # T1 (reply late), T2 (first contact late), T3 (both open): the paused and cancelled clocks do not count
        "overdue": (3, None, "3", "—"),
        # no dispatch objection in either September (test_objection_figures counts them)
        "objections": (0, None, "0", "—"),
        "objections_upheld": (0, None, "0", "—"),
        "objections_rejected": (0, None, "0", "—"),
    }


def test_briefing_office_b_and_a_callback_without_unit_counts_for_the_ticket_unit(briefing, org):
    line = next(line for line in briefing.lines if line.unit_id == org.office_b.pk)

    got = figures(line)

    assert got["received"] == (1, None, "1", "—")
    assert got["sign_off"] == (1, 1, "100.0%", "—")
    assert got["first_contact"] == (1, 1, "100.0%", "—")
    # its reply clock falls due in October: nothing due in September
    assert got["on_time_completion"] == (0, 0, "—", "—")
    # basically satisfied counts as satisfied; no resolution was recorded
    assert got["satisfaction"] == (1, 1, "100.0%", "—")
    assert got["resolution"] == (0, 0, "—", "—")


def test_briefing_total_adds_numerators_and_denominators(briefing):
    got = figures(briefing.total)

    assert briefing.total.name == "局合计"
    assert got["received"] == (4, None, "4", "+100.00%")
    assert got["sign_off"] == (2, 4, "50.0%", "\u221250.0 个百分点")
    assert got["first_contact"][:2] == (2, 4)
    assert got["on_time_completion"][:2] == (1, 3)
    assert got["satisfaction"][:3] == (2, 3, "66.7%")
    assert got["resolution"][:2] == (1, 2)
    assert got["overdue"][:2] == (3, None)
    # the other bureau's return, callback, case and overdue clock are not here
    assert got["returns"][:2] == (1, None)
    assert got["unsatisfied"][:2] == (1, None)
    assert got["conversions"][:2] == (1, None)


def test_briefing_top_businesses_of_the_month(briefing, data):
    assert [(b.name, b.tickets, b.tickets_all_time) for b in briefing.businesses] == [
        ("某某教育科技有限公司", 2, 40),
        ("某某超市", 1, 7),
    ]


def test_briefing_unit_leader_sees_own_line_and_the_bureau_total(org, data):
    with time_machine.travel(NOW, tick=False):
        briefing = briefing_for_user(org.unit_leader, month=SEPTEMBER)

    assert [line.unit_id for line in briefing.lines] == [org.office_a.pk]
    assert figures(briefing.total)["received"] == (4, None, "4", "+100.00%")
    assert briefing.honours == []
    assert [(b.name, b.tickets) for b in briefing.businesses] == [("某某教育科技有限公司", 2)]


def test_briefing_other_bureau_sees_only_its_own(data):
    other = data["other"]
    with time_machine.travel(NOW, tick=False):
        briefing = briefing_for_user(other.chief, month=SEPTEMBER)

    assert [line.name for line in briefing.lines] == ["方松所", "岳阳所"]
    assert [line.unit_id for line in briefing.lines] == [other.office_b.pk, other.office_a.pk]
    total = figures(briefing.total)
    assert (total["received"][0], total["returns"][0], total["unsatisfied"][0], total["conversions"][0]) == (1, 1, 1, 1)
    assert [(b.name, b.tickets) for b in briefing.businesses] == [("某某教育科技有限公司", 1)]


def test_briefing_for_a_handler_is_empty(org, data):
    with time_machine.travel(NOW, tick=False):
        briefing = briefing_for_user(org.handler, month=SEPTEMBER)

    assert (briefing.lines, briefing.total, briefing.businesses) == ([], None, [])


def test_honours_rank_each_indicator_separately_above_the_minimum_volume(org, data, monkeypatch):
    monkeypatch.setattr("reports.selectors.briefing.HONOURS_MIN_VOLUME", 1)
    with time_machine.travel(NOW, tick=False):
        briefing = briefing_for_user(org.chief, month=SEPTEMBER)

    got = {h.metric.key: ([n for n, _ in h.best], [n for n, _ in h.worst]) for h in briefing.honours}

    assert got == {
        "first_contact": (["方松所"], ["岳阳所"]),  # 1/1 against 1/3
        "sign_off": (["方松所"], ["岳阳所"]),
        "on_time_completion": ([], []),  # only office A had a reply clock due
        "resolution": ([], []),  # only office A recorded a resolution
        "satisfaction": (["方松所"], ["岳阳所"]),  # 1/1 against 1/2
    }


def test_honours_leave_out_units_below_the_minimum_volume(org, data, monkeypatch):
    monkeypatch.setattr("reports.selectors.briefing.HONOURS_MIN_VOLUME", 2)
    with time_machine.travel(NOW, tick=False):
        briefing = briefing_for_user(org.chief, month=SEPTEMBER)

    # office B has 1 work order behind each indicator: office A alone takes part, and nobody is named
    assert [(h.metric.key, h.eligible, h.best, h.worst) for h in briefing.honours][:2] == [
        ("first_contact", 1, [], []),
        ("sign_off", 1, [], []),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-09", Month(2026, 9)), (" 2026-10 ", Month(2026, 10)), ("2000-01", Month(2000, 1))],
)
def test_month_parse_accepts(text, expected):
    assert month_parse(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["", "2026-9", "2026-13", "2026-00", "abcd-ef", "1999-12", "2026-11", "2026-09-01"])
def test_month_parse_refuses(text):
    with pytest.raises(ValueError):
        month_parse(text, now=NOW)


def test_month_default_is_the_last_complete_month():
    assert month_default(now=NOW) == Month(2026, 9)
    assert month_default(now=Month(2026, 1).start) == Month(2025, 12)
    assert (Month(2026, 12).next(), Month(2026, 1).previous()) == (Month(2027, 1), Month(2025, 12))


def test_kept_counts_give_the_same_briefing_and_a_unit_leader_still_own_businesses(org, data):
    from reports.services import monthly_counts_current

    with time_machine.travel(NOW, tick=False):
        live_chief = briefing_for_user(org.chief, month=SEPTEMBER)
        kept = monthly_counts_current(org.bureau.pk, SEPTEMBER, now=NOW)
        kept_chief = briefing_for_user(org.chief, month=SEPTEMBER, stored=kept)
        kept_leader = briefing_for_user(org.unit_leader, month=SEPTEMBER, stored=kept)

    assert [[f.display for f in line.figures] for line in kept_chief.lines] == [
        [f.display for f in line.figures] for line in live_chief.lines
    ]
    assert [f.change_display for f in kept_chief.total.figures] == [f.change_display for f in live_chief.total.figures]
    assert kept_chief.businesses == live_chief.businesses
    assert kept_chief.counted_at == NOW
    assert [(b.name, b.tickets) for b in kept_leader.businesses] == [("某某教育科技有限公司", 2)]
    assert [line.unit_id for line in kept_leader.lines] == [org.office_a.pk]
