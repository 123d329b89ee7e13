"""The annual report (《年度报告》, reports.selectors.annual.AnnualReport) as the files a bureau circulates: .xlsx
(reports.xlsx: number cells with formats, frozen headers; native Excel charts of the work orders and the five
hotline indicators by month) and .docx (title, number, date, sections, tables). Each returns the file's bytes."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from docx import Document

from reports.exports import RATE_FORMAT, _document_head, _table
from reports.selectors.annual import AnnualReport, score_stages
from reports.xlsx import INTEGER, PERCENT, Sheet, workbook_bytes


def _format(metric) -> str:
    if metric.is_rate:
        return PERCENT
    return "0.0" if getattr(metric, "is_median", False) else INTEGER


def _month_labels() -> list[str]:
    return [_("Month %(month)d") % {"month": n} for n in range(1, 13)]


def annual_sheets(report: AnnualReport) -> list[Sheet]:
    """The report's sheets: the totals with how each figure is counted, the months, the units, the tops, the
    named returns and unsatisfied callbacks, typical cases, inspections and training."""
    year, before = str(report.year), str(report.year - 1)
    figures = report.figures
    metrics = figures.metrics
    totals = Sheet(
        _("Totals"),
        [_("Indicator"), year, before, _("How it is counted")],
        widths={0: 30, 1: 14, 2: 14, 3: 90},
    )
    for figure in figures.total.figures:
        totals.rows.append([str(figure.metric.label), figure.value, figure.previous_value, str(figure.metric.formula)])
    # a column's format is the sheet's: each row's own format is set by number_formats() below
    indicators = [m for m in metrics if m.is_hotline_indicator]
    months = Sheet(
        _("By month"),
        [_("Month"), _("Work orders %(year)s") % {"year": year}, _("Work orders %(year)s") % {"year": before}]
        + [str(m.label) for m in indicators],
        formats={1: INTEGER, 2: INTEGER, **{3 + n: PERCENT for n in range(len(indicators))}},
    )
    for label, line in zip(_month_labels(), report.months, strict=True):
        received = line.figure("received")
        months.rows.append(
            [label, received.numerator, received.previous_numerator] + [line.figure(m.key).value for m in indicators]
        )
    units = Sheet(
        _("By unit"),
        [_("Unit")] + [str(m.label) for m in metrics],
        formats={1 + n: _format(m) for n, m in enumerate(metrics)},
    )
    for line in [*figures.lines, figures.total]:
        units.rows.append([line.name] + [line.figure(m.key).value for m in metrics])
    tops = []
    spots = report.hotspots
    for title, lines in (
        (_("Top categories"), spots.categories_by_count if spots else []),
        (_("Top businesses"), spots.businesses_by_count if spots else []),
    ):
        sheet = Sheet(
            title,
            [_("Name"), year, before, _("Change"), _("Change (%)")],
            formats={1: INTEGER, 2: INTEGER, 3: INTEGER, 4: PERCENT},
        )
        for spot in lines:
            percent = None if spot.growth_percent is None else spot.growth_percent / 100
            sheet.rows.append([spot.name, spot.count, spot.previous, spot.growth, percent])
        tops.append(sheet)
    returns = Sheet(_("Returns for redo"), [_("Work order"), _("Unit"), _("Returned at"), _("Reasons")])
    returns.rows = [[r["number"], r["unit"], _day(r["at"]), "、".join(r["reasons"])] for r in report.returns]
    unsatisfied = Sheet(_("Unsatisfied callbacks"), [_("Work order"), _("Unit"), _("Called at")])
    unsatisfied.rows = [[c["number"], c["unit"] or "", _day(c["at"])] for c in report.unsatisfied]
    typical = Sheet(_("Typical cases"), [_("Work order"), _("Unit"), _("Opened at")])
    typical.rows = [[s["number"], s["unit"] or "", _day(s["opened_at"])] for s in report.typical_cases]
    stages = score_stages()
    inspections = Sheet(
        _("Special inspections"), [_("Campaign"), *stages], formats={1 + n: "0.0" for n in range(len(stages))}
    )
    for campaign in report.inspections:
        inspections.rows.append(
            [campaign["name"]] + [(campaign["stages"].get(stage) or (None,))[0] for stage in stages]
        )
    training = Sheet(_("Training"), [_("Unit"), _("Person-times"), _("Sessions")], formats={1: INTEGER, 2: INTEGER})
    training.rows = [[row["unit"], row["person_times"], row["sessions"]] for row in report.training]
    return [totals, months, units, *tops, returns, unsatisfied, typical, inspections, training]


def _day(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).date().isoformat() if moment else ""


def annual_xlsx(report: AnnualReport) -> bytes:
    """The annual report's workbook: a sheet per section (annual_sheets), the totals' cells formatted figure by
    figure, and on the months' sheet a native bar chart of the work orders (this year and the year before) and a
    line chart of the five hotline indicators."""
    from openpyxl.chart import BarChart, LineChart, Reference

    sheets = annual_sheets(report)

    def decorate(book):
        totals = book.worksheets[0]
        for row, figure in enumerate(report.figures.total.figures, start=2):
            for column in (2, 3):
                totals.cell(row=row, column=column).number_format = _format(figure.metric)
        months = book.worksheets[1]
        bars = BarChart()
        bars.title = _("Work orders received by month")
        bars.add_data(Reference(months, min_col=2, max_col=3, min_row=1, max_row=13), titles_from_data=True)
        bars.set_categories(Reference(months, min_col=1, min_row=2, max_row=13))
        months.add_chart(bars, "B16")
        lines = LineChart()
        lines.title = _("The five hotline indicators by month")
        lines.y_axis.number_format = RATE_FORMAT
        last = months.max_column
        lines.add_data(Reference(months, min_col=4, max_col=last, min_row=1, max_row=13), titles_from_data=True)
        lines.set_categories(Reference(months, min_col=1, min_row=2, max_row=13))
        months.add_chart(lines, "B32")

    return workbook_bytes(sheets, decorate)


def annual_docx(report: AnnualReport, title: str, number: str, date: dt.date) -> bytes:
    """The annual report as a bureau prints it: title, number and date, then numbered sections with tables."""
    document = Document()
    _document_head(document, title, number, date)
    year, before = str(report.year), str(report.year - 1)
    figures = report.figures
    document.add_heading(_("1. The bureau's figures"), level=1)
    rows = []
    for figure in figures.total.figures:
        shown = figure.display
        if figure.metric.is_rate:
            shown = f"{shown} ({figure.numerator}/{figure.denominator})"
        rows.append([str(figure.metric.label), shown, figure.previous_display, figure.change_display])
    _table(document, [_("Indicator"), year, before, _("Year on year")], rows)
    document.add_heading(_("2. Work orders by month"), level=1)
    _table(
        document,
        [_("Month"), year, before],
        [
            [label, str(line.figure("received").numerator), str(line.figure("received").previous_numerator)]
            for label, line in zip(_month_labels(), report.months, strict=True)
        ],
    )
    document.add_heading(_("3. Indicators by unit"), level=1)
    shown_metrics = [m for m in figures.metrics if m.is_hotline_indicator or m.key in ("received", "returns")]
    _table(
        document,
        [_("Unit")] + [str(m.label) for m in shown_metrics],
        [[line.name] + [line.figure(m.key).display for m in shown_metrics] for line in [*figures.lines, figures.total]],
    )
    document.add_heading(_("4. Categories and businesses with the most work orders"), level=1)
    spots = report.hotspots
    for heading, lines in (
        (_("Top categories"), spots.categories_by_count if spots else []),
        (_("Top businesses"), spots.businesses_by_count if spots else []),
    ):
        document.add_heading(heading, level=2)
        _table(
            document,
            [_("Name"), year, before, _("Change")],
            [[s.name, str(s.count), str(s.previous), f"{s.growth:+d}"] for s in lines],
        )
    document.add_heading(_("5. Returns for redo and unsatisfied callbacks"), level=1)
    document.add_paragraph(
        _("Returns for redo: %(returns)s; unsatisfied callbacks: %(unsatisfied)s.")
        % {"returns": report.returns_total, "unsatisfied": report.unsatisfied_total}
    )
    _table(
        document,
        [_("Work order"), _("Unit"), _("Returned at"), _("Reasons")],
        [[r["number"], r["unit"], _day(r["at"]), "、".join(r["reasons"])] for r in report.returns],
    )
    _table(
        document,
        [_("Work order"), _("Unit"), _("Called at")],
        [[c["number"], c["unit"] or "", _day(c["at"])] for c in report.unsatisfied],
    )
    document.add_heading(_("6. Typical cases (special supervision)"), level=1)
    _table(
        document,
        [_("Work order"), _("Unit"), _("Opened at")],
        [[s["number"], s["unit"] or "", _day(s["opened_at"])] for s in report.typical_cases],
    )
    document.add_heading(_("7. Special inspections: average scores"), level=1)
    stages = score_stages()
    _table(
        document,
        [_("Campaign"), *stages],
        [
            [c["name"]] + [f"{c['stages'][s][0]:.1f}" if s in c["stages"] else "—" for s in stages]
            for c in report.inspections
        ],
    )
    document.add_heading(_("8. Training"), level=1)
    document.add_paragraph(_("%(count)s person-times in all.") % {"count": report.training_total})
    _table(
        document,
        [_("Unit"), _("Person-times"), _("Sessions")],
        [[row["unit"], str(row["person_times"]), str(row["sessions"])] for row in report.training],
    )
    document.add_heading(_("9. How each figure is counted"), level=1)
    for metric in figures.metrics:
        document.add_paragraph(f"{metric.label}: {metric.formula}", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
