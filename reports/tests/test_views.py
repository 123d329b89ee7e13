import csv
import io

import pytest
import time_machine
from django.urls import reverse

from org.choices import UnitKind
from org.models import Unit
from reports.tests.conftest import NOW, at, clock, ticket
from tickets.choices import Clock

pytestmark = pytest.mark.django_db
URL = reverse("reports:index")
CSV_URL = reverse("reports:briefing_csv")


def test_page_shows_the_last_complete_month_in_chinese(client, org, data, frozen):
    client.force_login(org.chief)

    response = client.get(URL)

    assert response.status_code == 200
    briefing = response.context["briefing"]
    assert str(briefing.month) == "2026-09"
    assert [line.name for line in briefing.lines] == ["方松所", "岳阳所"]
    html = response.content.decode()
    assert "每月简报" in html
    assert "局合计" in html
    assert "\u221266.7 个百分点" in html
    assert "+50.00%" in html
    assert 'data-testid="honours"' in html


def test_page_for_a_unit_leader_has_own_line_total_and_no_red_black_list(client, org, data, frozen):
    client.force_login(org.unit_leader)

    response = client.get(URL, {"month": "2026-09"})

    assert response.status_code == 200
    assert [line.name for line in response.context["briefing"].lines] == ["岳阳所"]
    html = response.content.decode()
    assert "方松所" not in html
    assert "局合计" in html
    assert 'data-testid="honours"' not in html


@pytest.mark.parametrize("person", ["handler", "dispatcher", "deputy"])
def test_page_refuses_others(client, org, person):
    client.force_login(getattr(org, person))

    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_page_needs_a_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_page_of_another_bureau_never_shows_this_bureau(client, org, data, frozen):
    client.force_login(data["other"].chief)

    response = client.get(URL, {"month": "2026-09"})

    total = response.context["briefing"].total
    assert total.figure("received").numerator == 1
    assert "某某超市" not in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "abc", "2027-01", "1999-12", "2026-9", "x" * 500, "2026-09\x00"])
def test_page_with_a_bad_month_answers_the_form_with_an_error(client, org, frozen, month):
    client.force_login(org.chief)

    response = client.get(URL, {"month": month})

    assert response.status_code == 200
    assert response.context["briefing"] is None
    assert list(response.context["form"].errors) == ["month"]
    assert 'data-testid="month-error"' in response.content.decode()


def test_csv_has_a_bom_the_header_and_one_row_per_line(client, org, data, frozen):
    client.force_login(org.chief)

    response = client.get(CSV_URL, {"month": "2026-09"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="briefing-2026-09.csv"'
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:5] == ["承办单位", "工单量", "工单量：2025-09", "工单量：同比", "先行联系率"]
    assert [row[0] for row in rows[1:]] == ["方松所", "岳阳所", "局合计"]
    yueyang = dict(zip(rows[0], rows[2], strict=True))
    assert (yueyang["工单量"], yueyang["工单量：同比"]) == ("3", "+50.00%")
    assert (yueyang["先行联系率"], yueyang["先行联系率：分子/分母"]) == ("33.3%", "1/3")
    assert yueyang["先行联系率：同比"] == "\u221266.7 个百分点"


def test_csv_of_a_unit_leader_has_own_line_and_the_total(client, org, data, frozen):
    client.force_login(org.unit_leader)

    rows = list(csv.reader(io.StringIO(client.get(CSV_URL, {"month": "2026-09"}).content.decode("utf-8-sig"))))

    assert [row[0] for row in rows[1:]] == ["岳阳所", "局合计"]


def test_csv_with_a_bad_month_is_a_400(client, org, frozen):
    client.force_login(org.chief)

    response = client.get(CSV_URL, {"month": "2026-13"})

    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()


def _units_with_tickets(org, count):
    units = [org.office_a, org.office_b]
    for n in range(len(units), count):
        units.append(Unit.objects.create(bureau=org.bureau, code=f"u{n}", name=f"所{n}", kind=UnitKind.OFFICE))
    for unit in units[:count]:
        for _ in range(count):
            made = ticket(org.bureau, unit, at(2026, 9, 8, 9), dispatched_at=at(2026, 9, 8, 10))
            clock(made, Clock.FIRST_CONTACT, at(2026, 9, 9, 23, 59, 59))
    Unit.objects.filter(bureau=org.bureau, kind=UnitKind.OFFICE).exclude(pk__in=[u.pk for u in units[:count]]).update(
        is_active=False
    )


@pytest.mark.parametrize("units", [1, 3])
def test_page_query_count_does_not_grow_with_units_or_tickets(
    client, org, calendar_2026, frozen, django_assert_num_queries, units
):
    _units_with_tickets(org, units)
    client.force_login(org.chief)
    client.get(URL, {"month": "2026-10"})  # the working-day calendar is cached per process

    # counting: session, user, the kept counts (none), the year-earlier month's kept counts (none), the 11 aggregates of
    # reports.selectors (the 6 of the briefing, the overdue work orders by months since last overdue in both months
    # together, the completions, the replies, the dispatch objections raised and decided), keeping them
    # (update_or_create: savepoints, a locked read, an insert), the units, the top businesses, the kept briefing files,
    # the bell
    with django_assert_num_queries(27):
        first = client.get(URL, {"month": "2026-09"})
    # read back: session, user, the kept counts (with the top businesses), the units, the kept files, the bell
    with django_assert_num_queries(6):
        response = client.get(URL, {"month": "2026-09"})

    assert first.context["briefing"].total.figure("received").numerator == units * units
    assert len(response.context["briefing"].lines) == units
    assert response.context["briefing"].total.figure("received").numerator == units * units


def test_closed_month_is_counted_once_and_kept_until_counted_again(client, org, calendar_2026, frozen):
    _units_with_tickets(org, 1)
    client.force_login(org.chief)
    first = client.get(URL, {"month": "2026-09"}).context["briefing"]
    ticket(org.bureau, org.office_a, at(2026, 9, 20, 9), dispatched_at=at(2026, 9, 20, 10))  # a late correction

    kept = client.get(URL, {"month": "2026-09"})
    recounted = client.post(reverse("reports:recount"), {"month": "2026-09"}, follow=True)

    assert first.total.figure("received").numerator == 1
    assert kept.context["briefing"].total.figure("received").numerator == 1
    assert kept.context["briefing"].counted_at == NOW
    assert 'data-testid="recount"' in kept.content.decode()
    assert recounted.redirect_chain == [(URL + "?month=2026-09", 302)]
    assert recounted.context["briefing"].total.figure("received").numerator == 2
    assert "已重新统计该月数据。" in recounted.content.decode()


def test_month_in_progress_is_counted_again_once_its_counts_are_old(client, org, calendar_2026, settings):
    settings.HOTLINE_REPORTS_OPEN_MONTH_SECONDS = 600
    client.force_login(org.chief)
    with time_machine.travel(at(2026, 10, 15, 10), tick=False):
        first = client.get(URL, {"month": "2026-10"}).context["briefing"]
    ticket(org.bureau, org.office_a, at(2026, 10, 15, 10, 1), dispatched_at=at(2026, 10, 15, 10, 2))

    with time_machine.travel(at(2026, 10, 15, 10, 5), tick=False):
        kept = client.get(URL, {"month": "2026-10"}).context["briefing"]
    with time_machine.travel(at(2026, 10, 15, 10, 10), tick=False):
        recounted = client.get(URL, {"month": "2026-10"}).context["briefing"]

    assert first.total.figure("received").numerator == 0
    assert (kept.counted_at, kept.total.figure("received").numerator) == (at(2026, 10, 15, 10), 0)
    assert (recounted.counted_at, recounted.total.figure("received").numerator) == (at(2026, 10, 15, 10, 10), 1)


def test_unit_leader_may_not_count_a_month_again(client, org, frozen):
    client.force_login(org.unit_leader)

    response = client.post(reverse("reports:recount"), {"month": "2026-09"})

    assert response.status_code == 403


def test_recount_is_post_only_and_refuses_a_bad_month(client, org, frozen):
    client.force_login(org.chief)

    get = client.get(reverse("reports:recount"))
    bad = client.post(reverse("reports:recount"), {"month": "2026-13"}, follow=True)

    assert get.status_code == 405
    assert bad.status_code == 200
    assert bad.redirect_chain == [(URL, 302)]


def test_page_shows_up_in_the_navigation(client, org):
    client.force_login(org.chief)

    response = client.get(reverse("home"), follow=True)

    assert URL in [item["url"] for item in response.context["nav_items"]]


def test_csv_of_another_bureau_never_shows_this_bureau(client, org, data, frozen):
    client.force_login(data["other"].chief)

    rows = list(csv.reader(io.StringIO(client.get(CSV_URL, {"month": "2026-09"}).content.decode("utf-8-sig"))))

    # the same unit names as this bureau's (make_org): the figures tell them apart
    assert [row[0] for row in rows[1:]] == ["方松所", "岳阳所", "局合计"]
    assert [dict(zip(rows[0], row, strict=True))["工单量"] for row in rows[1:]] == ["0", "1", "1"]


def test_recount_by_another_bureaus_chief_leaves_this_bureaus_counts_as_kept(client, org, data, frozen):
    from reports.models import MonthlyCounts

    client.force_login(org.chief)
    client.get(URL, {"month": "2026-09"})
    mine = MonthlyCounts.objects.get(bureau=org.bureau)
    ticket(org.bureau, org.office_a, at(2026, 9, 20, 9), dispatched_at=at(2026, 9, 20, 10))  # a late correction

    with time_machine.travel(at(2026, 10, 15, 11), tick=False):
        client.force_login(data["other"].chief)  # signed in then: a session idle since NOW would have expired
        response = client.post(reverse("reports:recount"), {"month": "2026-09"}, follow=True)

    assert response.context["briefing"].total.figure("received").numerator == 1  # their own bureau's
    assert MonthlyCounts.objects.get(bureau=org.bureau).computed_at == mine.computed_at == NOW
    assert MonthlyCounts.objects.get(bureau=org.bureau).counts == mine.counts
    assert MonthlyCounts.objects.get(bureau=data["other"].bureau).computed_at == at(2026, 10, 15, 11)
