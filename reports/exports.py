"""The documents a bureau circulates: a period's figures (the monthly briefing, a quarter, the year) and the
annual assessment as .xlsx (openpyxl: number cells with formats, a frozen header, a native Excel chart) and
as .docx (python-docx: title, number, date, sections, tables). Each takes what the pages show
(reports.periods.PeriodFigures, reports.assessment.Assessment) and returns the file's bytes."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font

from reports.periods import PeriodFigures

RATE_FORMAT = "0.0%"
CHART_METRIC = "on_time_completion"


def _value(figure):
    """A number cell's value: a rate as a fraction, a count, or the median; None when there is none."""
    return figure.value


def _number_format(figure) -> str:
    if figure.metric.is_rate:
        return RATE_FORMAT
    if getattr(figure.metric, "is_median", False):
        return "0.0"
    return "0"


def figures_xlsx(figures: PeriodFigures, title: str) -> bytes:
    """One sheet: a row per unit and the bureau total, a column per figure (its value as a number cell with a
    format), then the same figures a year earlier; the header frozen; a bar chart of the on-time completion
    rate by unit (a native Excel chart)."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _("Period: %(period)s; a year earlier: %(earlier)s") % {
        "period": figures.period,
        "earlier": figures.year_earlier,
    }
    header_row = 4
    metrics = figures.metrics
    earlier = _("A year earlier")
    headers = [_("Unit")] + [str(m.label) for m in metrics] + [f"{m.label} ({earlier})" for m in metrics]
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = [*figures.lines, *([figures.total] if figures.total else [])]
    for offset, line in enumerate(lines, start=1):
        row = header_row + offset
        sheet.cell(row=row, column=1, value=line.name)
        for n, metric in enumerate(metrics):
            figure = line.figure(metric.key)
            now = sheet.cell(row=row, column=2 + n, value=_value(figure))
            now.number_format = _number_format(figure)
            before = sheet.cell(row=row, column=2 + len(metrics) + n, value=figure.previous_value)
            before.number_format = _number_format(figure)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.column_dimensions["A"].width = 16
    if figures.lines:
        column = 2 + [m.key for m in metrics].index(CHART_METRIC)
        chart = BarChart()
        chart.title = str(next(m.label for m in metrics if m.key == CHART_METRIC))
        chart.y_axis.number_format = RATE_FORMAT
        data = Reference(sheet, min_col=column, min_row=header_row, max_row=header_row + len(figures.lines))
        names = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + len(figures.lines))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(names)
        sheet.add_chart(chart, sheet.cell(row=header_row + len(lines) + 3, column=1).coordinate)
    formulas = book.create_sheet(_("How it is counted"))
    for row, metric in enumerate(metrics, start=1):
        formulas.cell(row=row, column=1, value=str(metric.label)).font = Font(bold=True)
        formulas.cell(row=row, column=2, value=str(metric.formula))
    return _saved(book)


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _document_head(document, title: str, number: str, date: dt.date) -> None:
    heading = document.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = document.add_paragraph(f"{number}    {date:%Y-%m-%d}")
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
            run.font.size = Pt(9)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)


def figures_docx(figures: PeriodFigures, title: str, number: str, date: dt.date) -> bytes:
    """The briefing as a bureau prints it: title, document number and date, then a section per group of
    figures with a table (units and the total; this period, a year earlier, the change), and how each
    figure is counted."""
    document = Document()
    _document_head(document, title, number, date)
    document.add_paragraph(
        _("Period: %(period)s; a year earlier: %(earlier)s")
        % {"period": figures.period, "earlier": figures.year_earlier}
    )
    lines = [*figures.lines, *([figures.total] if figures.total else [])]
    sections = [
        (_("1. The five hotline indicators"), [m for m in figures.metrics if m.is_hotline_indicator]),
        (
            _("2. Other indicators"),
            [m for m in figures.metrics if not m.is_hotline_indicator],
        ),
    ]
    for heading, metrics in sections:
        document.add_heading(heading, level=1)
        for metric in metrics:
            document.add_heading(str(metric.label), level=2)
            rows = []
            for line in lines:
                figure = line.figure(metric.key)
                shown = figure.display
                if metric.is_rate:
                    shown = f"{shown} ({figure.numerator}/{figure.denominator})"
                rows.append([line.name, shown, figure.previous_display, figure.change_display])
            _table(document, [_("Unit"), _("This period"), _("A year earlier"), _("Year on year")], rows)
    document.add_heading(_("3. How each figure is counted"), level=1)
    for metric in figures.metrics:
        document.add_paragraph(f"{metric.label}: {metric.formula}", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def assessment_xlsx(assessment, title: str) -> bytes:
    """The assessment: a row per unit by score (place, unit, score as a number cell) and, on a second sheet,
    every line that made each score; a bar chart of the scores."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scores")
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = 3
    for column, text in enumerate([_("Place"), _("Unit"), _("Score")], start=1):
        sheet.cell(row=header_row, column=column, value=text).font = Font(bold=True)
    for n, line in enumerate(assessment.lines, start=1):
        sheet.cell(row=header_row + n, column=1, value=n)
        sheet.cell(row=header_row + n, column=2, value=line["name"])
        score = sheet.cell(row=header_row + n, column=3, value=float(line["score"]))
        score.number_format = "0.00"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if assessment.lines:
        chart = BarChart()
        chart.title = _("Score")
        count = len(assessment.lines)
        chart.add_data(
            Reference(sheet, min_col=3, min_row=header_row, max_row=header_row + count), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=2, min_row=header_row + 1, max_row=header_row + count))
        sheet.add_chart(chart, sheet.cell(row=header_row + count + 3, column=1).coordinate)
    items = book.create_sheet(_("How it came about"))
    for column, text in enumerate([_("Unit"), _("Item"), _("How it came about"), _("Points")], start=1):
        items.cell(row=1, column=column, value=text).font = Font(bold=True)
    items.freeze_panes = "A2"
    row = 2
    for line in assessment.lines:
        for item in line["items"]:
            items.cell(row=row, column=1, value=line["name"])
            items.cell(row=row, column=2, value=item["label"])
            items.cell(row=row, column=3, value=item["text"])
            points = items.cell(row=row, column=4, value=float(item["points"]))
            points.number_format = "0.00"
            row += 1
    return _saved(book)


def assessment_docx(assessment, title: str, number: str, date: dt.date) -> bytes:
    """The assessment as a document: title, number, date, the table of scores, then each unit's lines."""
    document = Document()
    _document_head(document, title, number, date)
    document.add_heading(_("1. Scores"), level=1)
    _table(
        document,
        [_("Place"), _("Unit"), _("Score")],
        [[str(n), line["name"], line["score"]] for n, line in enumerate(assessment.lines, start=1)],
    )
    document.add_heading(_("2. How each score came about"), level=1)
    for line in assessment.lines:
        document.add_heading(f"{line['name']}  {line['score']}", level=2)
        for item in line["items"]:
            document.add_paragraph(item["text"], style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
