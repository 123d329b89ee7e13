"""GET /api/v1/staff/indicators/: the same figures as reports.periods (the `years` fixture, worked out by hand
in test_periods.py), scoped as the reports pages."""

import pytest
import time_machine

from reports.selectors import Month
from reports.services import monthly_counts_store
from reports.tests.conftest import YEARS_NOW

pytestmark = pytest.mark.django_db
URL = "/api/v1/staff/indicators/"
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def frozen_years():
    with time_machine.travel(YEARS_NOW, tick=False):
        yield


def figure(line, key):
    return next(f for f in line["figures"] if f["key"] == key)


def test_indicators_for_the_chief_every_unit_and_the_total(client, org, years, frozen_years):
    client.force_login(org.chief)

    response = client.get(URL, YEAR)

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"first": "2026-01-01", "last": "2026-12-31", "kind": "year"}
    assert body["year_earlier"] == {"first": "2025-01-01", "last": "2025-12-31", "kind": "year"}
    assert [line["unit"] for line in body["units"]] == [org.office_b.pk, org.office_a.pk]
    office_a = body["units"][1]
    # 1 return over 5 replies; 2025: 0 over 1 -> +20 points
    assert figure(office_a, "return_rate") == {
        "key": "return_rate",
        "numerator": 1,
        "denominator": 5,
        "value": 0.2,
        "previous_numerator": 0,
        "previous_denominator": 1,
        "previous_value": 0.0,
        "change": 20.0,
    }
    # the median of 4, 9, 9 working days; 2025: 4
    assert (figure(office_a, "processing_days")["value"], figure(office_a, "processing_days")["change"]) == (9, 5)
    total = body["total"]
    assert total["unit"] is None
    assert (figure(total, "redo_rate")["numerator"], figure(total, "redo_rate")["denominator"]) == (2, 4)
    assert figure(total, "processing_days")["value"] == 6.5
    assert figure(total, "overdue")["numerator"] == 2
    metrics = {m["key"]: m for m in body["metrics"]}
    assert metrics["return_rate"]["label"] == "回退率"
    assert metrics["return_rate"]["formula"] == "退回重办的答复数 ÷ 期内提交的答复数。"
    assert metrics["objections"]["formula"].startswith("期内本单位提出的派单异议数")


def test_indicators_for_a_unit_leader_own_unit_and_total_only(client, org, years, frozen_years):
    client.force_login(org.unit_leader)

    mine = client.get(URL, YEAR)
    other = client.get(URL, {**YEAR, "unit": org.office_b.pk})
    own = client.get(URL, {**YEAR, "unit": org.office_a.pk})

    assert [line["unit"] for line in mine.json()["units"]] == [org.office_a.pk]
    assert figure(mine.json()["total"], "received")["numerator"] == 5
    assert other.status_code == 403
    assert [line["unit"] for line in own.json()["units"]] == [org.office_a.pk]


def test_indicators_unit_filter_for_the_chief(client, org, years, frozen_years):
    client.force_login(org.chief)

    response = client.get(URL, {**YEAR, "unit": org.office_b.pk})

    body = response.json()
    assert [line["unit"] for line in body["units"]] == [org.office_b.pk]
    assert figure(body["units"][0], "received")["numerator"] == 2
    assert figure(body["total"], "received")["numerator"] == 5


@pytest.mark.parametrize("user", ["handler", "dispatcher", "deputy"])
def test_indicators_refused_to_other_roles(client, org, user, frozen_years):
    client.force_login(getattr(org, user))

    assert client.get(URL, YEAR).status_code == 403


def test_indicators_anonymous_is_401(client, frozen_years):
    assert client.get(URL, YEAR).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-01-01"}, "to"),
        ({"from": "2026-1-1", "to": "2026-12-31"}, "from"),
        ({"from": "2026-01-01", "to": "2026-02-30"}, "to"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "to"),
        ({"from": "2025-01-01", "to": "2026-12-31"}, "to"),
        ({"from": "2027-02-01", "to": "2027-02-28"}, "to"),
        ({**YEAR, "unit": "abc"}, "unit"),
        ({**YEAR, "unit": "999999"}, "unit"),
    ],
)
def test_indicators_bad_input_is_a_400_naming_the_field(client, org, params, field, frozen_years):
    client.force_login(org.chief)

    response = client.get(URL, params)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_indicators_another_bureaus_unit_is_unknown(client, org, years, frozen_years):
    from org.tests.factories import make_org

    other = make_org("qp")
    client.force_login(org.chief)

    response = client.get(URL, {**YEAR, "unit": other.office_a.pk})

    assert response.status_code == 400


@pytest.mark.parametrize("units", [1, 3])
def test_indicators_query_count_does_not_grow_with_units_or_months(
    client, org, years, frozen_years, django_assert_num_queries, units
):
    from org.choices import UnitKind
    from org.models import Unit

    for n in range(units):
        Unit.objects.create(bureau=org.bureau, name=f"所{n}", code=f"x{n}", kind=UnitKind.OFFICE)
    for month in range(1, 13):
        monthly_counts_store(org.bureau.pk, Month(2026, month), now=YEARS_NOW)
    client.force_login(org.chief)

    # session, user, the kept rows of the year (one query for every month), the units
    with django_assert_num_queries(4):
        year = client.get(URL, YEAR)
    with django_assert_num_queries(4):
        quarter = client.get(URL, {"from": "2026-04-01", "to": "2026-06-30"})

    assert year.json()["source"] == "kept"
    assert quarter.json()["period"]["kind"] == "quarter"
    assert len(year.json()["units"]) == 2 + units


def test_indicators_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/staff/indicators/"]["get"]
    assert operation["operationId"] == "staff_indicators"
    assert [p["name"] for p in operation["parameters"]] == ["from", "to", "unit"]
