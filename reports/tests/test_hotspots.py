"""Hotspots: businesses and categories by count and by growth over a span of days (reports.selectors.hotspots)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditRecord
from org.tests.factories import make_org
from reports.selectors.hotspots import Span, hotspots_for_user
from reports.tests.conftest import at, ticket
from tickets.models import Business, Category

pytestmark = pytest.mark.django_db
URL = reverse("reports:hotspots")
XLSX_URL = reverse("reports:hotspots_xlsx")
SEPTEMBER = {"date_from": "2026-09-01", "date_to": "2026-09-30"}
SPAN = Span(dt.date(2026, 9, 1), dt.date(2026, 9, 30))


@pytest.fixture
def spots(org):
    """September 2026 against the 30 days before (2 Aug - 31 Aug), Shanghai days.

    Shop X: 3 in September (2 at office A, 1 at B), 1 in August -> count 3, growth +2 (+200%).
    Shop Y: 2 in September (A), 4 in August -> count 2, growth -2 (not on the growth list).
    Shop Z: 1 in September (B), none before -> count 1, growth +1 (no per cent).
    Categories: food 4 in September (X, X, Y, Z), 1 before; price 2 in September (X at B... see below), 3 before.
    Noise: 1 Aug (before the span before), 1 Oct 00:00 Shanghai (after), another bureau's.
    """
    food, price = Category.objects.get(code="food"), Category.objects.get(code="price")
    x = Business.objects.create(name="某某教育科技有限公司")
    y = Business.objects.create(name="某某超市")
    z = Business.objects.create(name="某某餐馆")
    a, b = org.office_a, org.office_b
    ticket(org.bureau, a, at(2026, 9, 1, 0, 0), business=x, category=food)
    ticket(org.bureau, a, at(2026, 9, 30, 23, 59), business=x, category=food)
    ticket(org.bureau, b, at(2026, 9, 15), business=x, category=price)
    ticket(org.bureau, a, at(2026, 9, 10), business=y, category=food)
    ticket(org.bureau, a, at(2026, 9, 11), business=y, category=price)
    ticket(org.bureau, b, at(2026, 9, 12), business=z, category=food)
    ticket(org.bureau, a, at(2026, 8, 2, 0, 0), business=x, category=price)
    for day in (3, 4, 5):
        ticket(org.bureau, a, at(2026, 8, day), business=y, category=price)
    ticket(org.bureau, a, at(2026, 8, 31, 23, 59), business=y, category=food)
    ticket(org.bureau, a, at(2026, 8, 1, 23, 59), business=z, category=food)  # before 2 Aug: outside
    ticket(org.bureau, a, at(2026, 10, 1, 0, 0), business=z, category=food)  # after 30 Sep: outside
    other = make_org("qp")
    ticket(other.bureau, other.office_a, at(2026, 9, 5), business=z, category=food)
    return {"x": x, "y": y, "z": z, "food": food, "price": price}


def signed_in(user):
    """The user as a request has them: the unit and the role codes loaded with the user (org.backends)."""
    assert user.unit.bureau_id and user.role_codes is not None


def _lines(lines):
    return [(line.name, line.count, line.previous) for line in lines]


def test_counts_and_growth_for_the_bureau(org, spots, django_assert_num_queries):
    signed_in(org.chief)
    with django_assert_num_queries(4):
        result = hotspots_for_user(org.chief, span=SPAN)

    assert result.previous_span == Span(dt.date(2026, 8, 2), dt.date(2026, 8, 31))
    assert _lines(result.businesses_by_count) == [
        ("某某教育科技有限公司", 3, 1),
        ("某某超市", 2, 4),
        ("某某餐馆", 1, 0),
    ]
    # growth: X 3-1 = +2 (+200%), Z 1-0 = +1 (no per cent: nothing before); Y fell
    assert _lines(result.businesses_by_growth) == [("某某教育科技有限公司", 3, 1), ("某某餐馆", 1, 0)]
    assert result.businesses_by_growth[0].growth_percent == 200.0
    assert result.businesses_by_growth[1].growth_percent is None
    # food: X, X, Y, Z in September, Y on 31 Aug before; price: X (B), Y in September, X + 3 Y before
    assert _lines(result.categories_by_count) == [("食品", 4, 1), ("价格", 2, 4)]
    assert _lines(result.categories_by_growth) == [("食品", 4, 1)]


def test_filters_by_unit_area_and_category(org, spots):
    by_unit = hotspots_for_user(org.chief, span=SPAN, unit_id=org.office_b.pk)
    assert _lines(by_unit.businesses_by_count) == [("某某教育科技有限公司", 1, 0), ("某某餐馆", 1, 0)]

    by_area = hotspots_for_user(org.chief, span=SPAN, area="方松街道")
    assert _lines(by_area.businesses_by_count) == _lines(by_unit.businesses_by_count)

    by_category = hotspots_for_user(org.chief, span=SPAN, category_id=spots["price"].pk)
    assert _lines(by_category.businesses_by_count) == [("某某教育科技有限公司", 1, 1), ("某某超市", 1, 3)]


def test_a_unit_leader_sees_own_units_work_orders_only(org, spots):
    result = hotspots_for_user(org.unit_leader, span=SPAN, unit_id=org.office_b.pk)  # asks for B: gets A

    assert result.unit_id == org.office_a.pk
    assert _lines(result.businesses_by_count) == [("某某教育科技有限公司", 2, 1), ("某某超市", 2, 4)]


def test_others_get_nothing_without_a_query(org, spots, django_assert_num_queries):
    signed_in(org.handler)
    with django_assert_num_queries(0):
        result = hotspots_for_user(org.handler, span=SPAN)
    assert result.businesses_by_count == [] and result.categories_by_count == []


def test_page_links_each_line_to_its_work_orders(client, org, spots):
    client.force_login(org.chief)

    response = client.get(URL, SEPTEMBER)

    assert response.status_code == 200
    html = response.content.decode()
    assert "热点" in html
    link = f"{reverse('tickets:list')}?received_from=2026-09-01&amp;received_to=2026-09-30&amp;business={spots['x'].pk}"
    assert link in html
    assert f"category={spots['food'].pk}" in html
    # the link lists exactly the line's work orders: the search page's received and business filters
    listed = client.get(
        reverse("tickets:list"),
        {"received_from": "2026-09-01", "received_to": "2026-09-30", "business": spots["x"].pk},
    )
    assert listed.context["paginator"].count == 3


def test_page_query_count_does_not_grow_with_units_or_lines(client, org, spots, django_assert_num_queries):
    client.force_login(org.chief)
    client.get(URL, SEPTEMBER)  # warm the per-process copies (navigation, calendar)

    # session, user, bell; four aggregates; the form's units, areas and categories
    with django_assert_num_queries(10):
        client.get(URL, SEPTEMBER)
    from org.models import Unit

    for n in range(5):
        Unit.objects.create(bureau=org.bureau, code=f"x{n}", name=f"新所{n}", kind="office", town=f"街道{n}")
        ticket(org.bureau, org.office_b, at(2026, 9, 20), business=Business.objects.create(name=f"新商家{n}"))
    with django_assert_num_queries(10):
        client.get(URL, SEPTEMBER)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-09-30", "date_to": "2026-09-01"}, "起始日期"),
        ({"date_from": "2024-01-01", "date_to": "2026-09-01"}, "366"),
        ({"date_from": "0001-01-01", "date_to": "2026-09-01"}, "2000"),
        ({"date_from": "yesterday", "date_to": "2026-09-01"}, "日期"),
    ],
)
def test_bad_days_are_a_form_error_and_a_400_for_the_export(client, org, query, message):
    client.force_login(org.chief)

    response = client.get(URL, query)

    assert response.status_code == 200
    assert response.context["hotspots"] is None
    assert message in response.content.decode()
    assert client.get(XLSX_URL, query).status_code == 400


def test_default_is_the_last_complete_month(client, org, frozen):
    client.force_login(org.chief)

    response = client.get(URL)

    assert response.context["hotspots"].span == SPAN


def test_xlsx_has_number_cells_and_is_audited(client, org, spots):
    client.force_login(org.chief)

    response = client.get(XLSX_URL, SEPTEMBER)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hotspots-2026-09-01-2026-09-30.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按数量排列的商家", "按增长排列的商家", "按数量排列的类别", "按增长排列的类别"]
    sheet = book["按增长排列的商家"]
    assert sheet.freeze_panes == "B2"
    assert [cell.value for cell in sheet[2]] == ["某某教育科技有限公司", 3, 1, 2, 2.0]
    assert sheet["E2"].number_format == "0.0%"
    assert [cell.value for cell in sheet[3]] == ["某某餐馆", 1, 0, 1, None]
    record = AuditRecord.objects.get(action="data.exported")
    assert record.data == {"export": "hotspots", "from": "2026-09-01", "to": "2026-09-30"}


@pytest.mark.parametrize(("person", "status"), [("handler", 403), ("dispatcher", 403), ("unit_leader", 200)])
def test_who_may_open_it(client, org, person, status):
    client.force_login(getattr(org, person))

    assert client.get(URL).status_code == status
    assert client.get(XLSX_URL).status_code == status
