"""The .xlsx and .docx exports opened again (openpyxl, python-docx): the figures of the `years` fixture (worked
out in test_periods.py) and the assessment of test_assessment.py, as numbers with formats, with the chart."""

import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from audit.models import AuditRecord
from reports.models import AssessmentBonus, AssessmentScheme
from reports.tests.conftest import YEARS_NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen_years():
    with time_machine.travel(YEARS_NOW, tick=False):
        yield


def rows_of(sheet):
    return {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}


def test_year_as_xlsx_numbers_formats_frozen_header_and_chart(client, org, years, frozen_years):
    client.force_login(org.chief)

    response = client.get(reverse("reports:period_xlsx"), {"period": "2026"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indicators-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[4]]
    column = {name: n for n, name in enumerate(header)}
    rows = rows_of(sheet)
    assert list(rows) == ["方松所", "岳阳所", "局合计"]
    assert rows["岳阳所"][column["回退率"]] == 0.2  # 1 of 5
    assert rows["局合计"][column["回退率"]] == pytest.approx(1 / 6)
    assert rows["局合计"][column["办理用时（工作日中位数）"]] == 6.5
    assert rows["局合计"][column["工单量"]] == 5
    assert sheet.cell(row=6, column=column["回退率"] + 1).number_format == "0.0%"
    assert sheet.freeze_panes == "B5"
    assert len(sheet._charts) == 1
    assert book.worksheets[1]["A1"].value == "工单量"
    assert AuditRecord.objects.filter(action="data.exported").count() == 1


def test_year_as_docx_title_number_sections_tables(client, org, years, frozen_years):
    client.force_login(org.chief)

    response = client.get(reverse("reports:period_docx"), {"period": "2026"})

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "热线指标，2026 年度"
    assert texts[1] == "第 2026 号    2027-01-20"
    assert "一、热线五项指标" in texts
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["岳阳所", "20.0% (1/5)", "0.0%", "+20.0 个百分点"] in cells
    assert ["局合计", "6.5", "3", "+3.5 个工作日"] in cells


def test_assessment_as_xlsx_and_docx(client, org, years, frozen_years):
    scheme = AssessmentScheme.objects.create(
        bureau=org.bureau,
        year=2026,
        weights={"on_time_completion": 20, "satisfaction": 30},
        deductions={"returns": -0.5, "unsatisfied": -1, "overdue": -0.5},
    )
    AssessmentBonus.objects.create(scheme=scheme, unit=org.office_a, label="典型案例", points=Decimal("2"))
    client.force_login(org.chief)

    xlsx = client.get(reverse("reports:assessment_xlsx"), {"year": "2026"})
    docx = client.get(reverse("reports:assessment_docx"), {"year": "2026"})

    book = load_workbook(io.BytesIO(xlsx.content))
    scores = list(book.worksheets[0].iter_rows(min_row=4, max_row=5, values_only=True))
    assert scores == [(1, "方松所", 49.5), (2, "岳阳所", 30.01)]
    assert book.worksheets[0]["C4"].number_format == "0.00"
    assert len(book.worksheets[0]._charts) == 1
    items = [row[2] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert "满意率 66.7% × 30 = 20.01" in items
    document = Document(io.BytesIO(docx.content))
    texts = [p.text for p in document.paragraphs]
    assert "岳阳所  30.01" in texts
    assert "典型案例 2" in texts
    assert [[c.text for c in row.cells] for row in document.tables[0].rows][1:] == [
        ["1", "方松所", "49.50"],
        ["2", "岳阳所", "30.01"],
    ]


def test_exports_refuse_bad_input_and_other_roles(client, org, frozen_years):
    client.force_login(org.chief)
    bad_period = client.get(reverse("reports:period_xlsx"), {"period": "2026-13"})
    bad_year = client.get(reverse("reports:assessment_docx"), {"year": "abc"})
    client.force_login(org.handler)
    refused = client.get(reverse("reports:period_docx"), {"period": "2026"})

    assert (bad_period.status_code, bad_year.status_code, refused.status_code) == (400, 400, 403)


def test_unit_leader_exports_own_line_and_total(client, org, years, frozen_years):
    client.force_login(org.unit_leader)

    response = client.get(reverse("reports:period_xlsx"), {"period": "2026"})

    assert list(rows_of(load_workbook(io.BytesIO(response.content)).worksheets[0])) == ["岳阳所", "局合计"]


def test_annual_report_as_xlsx_numbers_formats_frozen_headers_and_charts(client, org, years, frozen_years):
    client.force_login(org.chief)

    response = client.get(reverse("reports:annual_xlsx"), {"year": "2026"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="annual-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    totals, months, units = book.worksheets[:3]
    rows = {row[0]: row for row in totals.iter_rows(min_row=2, values_only=True)}
    # by hand (test_periods.py): 5 work orders in 2026 (A1, A2, A3, B1, B2) against 2 in 2025 (A0, B0); 1 return of
    # 6 replies; the median of 4, 4, 9, 9 working days 6.5 against 3 (4 and 2)
    assert rows["工单量"][1:3] == (5, 2)
    assert rows["回退率"][1] == pytest.approx(1 / 6)
    assert rows["办理用时（工作日中位数）"][1:3] == (6.5, 3)
    assert totals.cell(row=2 + list(rows).index("回退率"), column=2).number_format == "0.0%"
    assert totals.freeze_panes == "B2"
    # by month: March 2 (A1, A2), May 1 (B1), June 1 (A3), December 1 (B2); 2025: March A0, July B0
    received = [(row[1], row[2]) for row in months.iter_rows(min_row=2, max_row=13, values_only=True)]
    assert received == [(0, 0), (0, 0), (2, 1), (0, 0), (1, 0), (1, 0), (0, 1), (0, 0), (0, 0), (0, 0), (0, 0), (1, 0)]
    assert [type(chart).__name__ for chart in months._charts] == ["BarChart", "LineChart"]
    assert [row[0] for row in units.iter_rows(min_row=2, values_only=True)] == ["方松所", "岳阳所", "局合计"]
    assert AuditRecord.objects.filter(action="data.exported").count() == 1


def test_annual_report_as_docx_title_number_sections_tables(client, org, years, frozen_years):
    client.force_login(org.chief)

    response = client.get(reverse("reports:annual_docx"), {"year": "2026"})

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "年度报告 2026"
    assert texts[1] == "第 2026 号    2027-01-20"
    assert "一、全局指标" in texts
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["工单量", "5", "2", "+150.00%"] in cells
    # 2025: B0's return of 3 replies (A0 once, B0 twice) = 33.3%; 16.7 - 33.3 = -16.7 points (1/6 - 1/3 = -1/6)
    assert ["回退率", "16.7% (1/6)", "33.3%", "\u221216.7 个百分点"] in cells
    assert ["3月", "2", "1"] in cells


def test_annual_exports_refuse_bad_years_and_other_roles_and_scope_unit_leaders(client, org, years, frozen_years):
    client.force_login(org.chief)
    bad = client.get(reverse("reports:annual_xlsx"), {"year": "2028"})
    client.force_login(org.handler)
    refused = client.get(reverse("reports:annual_docx"), {"year": "2026"})
    client.force_login(org.unit_leader)
    own = client.get(reverse("reports:annual_xlsx"), {"year": "2026"})

    assert (bad.status_code, refused.status_code) == (400, 403)
    units = load_workbook(io.BytesIO(own.content)).worksheets[2]
    assert [row[0] for row in units.iter_rows(min_row=2, values_only=True)] == ["岳阳所", "局合计"]
