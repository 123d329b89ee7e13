"""The annual assessment against the `years` fixture (figures worked out in test_periods.py), each score by
hand to the hundredth; a kept result keeps the scheme it was worked out with."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.models import AssessmentBonus, AssessmentResult, AssessmentScheme
from reports.services import assessment_compute, assessment_keep
from reports.tests.conftest import YEARS_NOW

pytestmark = pytest.mark.django_db
URL = reverse("reports:assessment")


@pytest.fixture
def scheme(org, years):
    made = AssessmentScheme.objects.create(
        bureau=org.bureau,
        year=2026,
        weights={"on_time_completion": 20, "satisfaction": 30},
        deductions={"returns": -0.5, "unsatisfied": -1, "overdue": -0.5, "objections_rejected": -1},
    )
    AssessmentBonus.objects.create(scheme=made, unit=org.office_a, label="典型案例", points=Decimal("2"))
    return made


@pytest.fixture
def frozen_years():
    with time_machine.travel(YEARS_NOW, tick=False):
        yield


def test_scores_by_hand_and_listed_by_score(org, scheme):
    _snapshot, scores = assessment_compute(org.bureau.pk, 2026, now=YEARS_NOW)

    # office B: no reply clock fell due in 2026 -> the full 20; B1 basically satisfied 1/1 -> 30; B2 overdue
    # 20 + 30 - 0.5 = 49.50. Office A: reply clocks 1/2 -> 50.0% x 20 = 10; callbacks satisfied 2/3 ->
    # 66.7% x 30 = 20.01; 1 return x -0.5, 1 unsatisfied x -1, 1 overdue x -0.5, the bonus 2:
    # 10 + 20.01 - 0.5 - 1 - 0.5 + 2 = 30.01
    assert [(s.name, s.score) for s in scores] == [("方松所", Decimal("49.50")), ("岳阳所", Decimal("30.01"))]
    assert [item.text for item in scores[1].items] == [
        "按时办结率 50.0% × 20 = 10",
        "满意率 66.7% × 30 = 20.01",
        "退回重办 1 × \u22120.5 = \u22120.5",
        "不满意回访 1 × \u22121 = \u22121",
        "超期工单 1 × \u22120.5 = \u22120.5",
        "被驳回的派单异议 0 × \u22121 = 0",
        "典型案例 2",
    ]
    assert scores[0].items[0].text == "按时办结率：本年无可计项，得满分 20"


def test_kept_assessment_does_not_change_when_weights_are_edited(org, scheme):
    kept = assessment_keep(org.bureau.pk, 2026, actor=org.chief, now=YEARS_NOW)
    before = (kept.scheme, kept.lines)

    scheme.weights = {"on_time_completion": 50}
    scheme.save()
    scheme.bonuses.all().delete()
    AssessmentScheme.objects.create(bureau=org.bureau, year=2027, weights={"satisfaction": 100})

    again = AssessmentResult.objects.get(bureau=org.bureau, year=2026)
    assert (again.scheme, again.lines) == before
    assert [line["score"] for line in again.lines] == ["49.50", "30.01"]
    assert again.scheme["weights"] == {"on_time_completion": "20", "satisfaction": "30"}
    # worked out again now, the new weights apply: B 50 (nothing due) - 0.5; A 50.0% x 50 - 0.5 - 1 - 0.5
    assert [s.score for s in assessment_compute(org.bureau.pk, 2026, now=YEARS_NOW)[1]] == [
        Decimal("49.50"),
        Decimal("23.00"),
    ]


def test_scheme_refuses_unknown_keys_and_non_numbers(org):
    with pytest.raises(ValidationError) as raised:
        AssessmentScheme(
            bureau=org.bureau, year=2026, weights={"received": 5}, deductions={"returns": "x"}
        ).full_clean()

    assert sorted(raised.value.message_dict) == ["deductions", "weights"]


def test_page_shows_scores_and_keeps(client, org, scheme, frozen_years):
    client.force_login(org.chief)

    preview = client.get(URL, {"year": "2026"})
    kept = client.post(reverse("reports:assessment_keep"), {"year": "2026"})
    page = client.get(URL, {"year": "2026"})

    assert preview.status_code == 200
    assert 'data-testid="not-kept"' in preview.content.decode()
    assert kept.status_code == 302
    html = page.content.decode()
    assert 'data-testid="kept"' in html
    assert "满意率 66.7% × 30 = 20.01" in html
    assert [line["score"] for line in page.context["result"].lines] == ["49.50", "30.01"]


def test_unit_leader_sees_own_line_and_cannot_keep(client, org, scheme, frozen_years):
    client.force_login(org.unit_leader)

    page = client.get(URL, {"year": "2026"})
    keep = client.post(reverse("reports:assessment_keep"), {"year": "2026"})

    assert [line["unit"] for line in page.context["result"].lines] == [org.office_a.pk]
    assert 'data-testid="keep"' not in page.content.decode()
    assert keep.status_code == 403


@pytest.mark.parametrize("year", ["abc", "1999", "2028"])
def test_page_bad_year_is_an_error_not_a_500(client, org, frozen_years, year):
    client.force_login(org.chief)

    response = client.get(URL, {"year": year})

    assert response.status_code == 200
    assert 'data-testid="year-error"' in response.content.decode()


def test_handler_is_refused(client, org, frozen_years):
    client.force_login(org.handler)

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("units", [1, 3])
def test_kept_page_query_count_does_not_grow_with_units(
    client, org, scheme, frozen_years, django_assert_num_queries, units
):
    from org.choices import UnitKind
    from org.models import Unit

    for n in range(units):
        Unit.objects.create(bureau=org.bureau, name=f"所{n}", code=f"x{n}", kind=UnitKind.OFFICE)
    assessment_keep(org.bureau.pk, 2026, actor=org.chief, now=YEARS_NOW)
    client.force_login(org.chief)
    client.get(URL, {"year": "2026"})

    # session, user, the kept result (with who kept it), the bell
    with django_assert_num_queries(4):
        response = client.get(URL, {"year": "2026"})

    assert len(response.context["result"].lines) == 2 + units
