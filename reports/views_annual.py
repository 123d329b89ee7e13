"""The annual report (《年度报告》): one page for a year, from reports.selectors.annual."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from audit.choices import Action
from audit.services import audit_record
from reports.charts import bar_chart, line_chart
from reports.forms import AnnualForm
from reports.selectors.annual import AnnualReport, annual_report_for_user, annual_year_default, score_stages


def charts(report: AnnualReport) -> list:
    """The trends by month as SVG: work orders (this year and the year before) and the five indicators."""
    labels = [_("Month %(month)d") % {"month": n} for n in range(1, 13)]
    received = [line.figure("received") for line in report.months]
    drawn = [
        bar_chart(
            _("Work orders received by month"),
            labels,
            [
                (str(report.year), [figure.numerator for figure in received]),
                (str(report.year - 1), [figure.previous_numerator for figure in received]),
            ],
        )
    ]
    indicators = [m for m in report.figures.metrics if m.is_hotline_indicator]
    series = []
    for metric in indicators:
        values = [line.figure(metric.key).value for line in report.months]
        series.append((str(metric.label), [None if v is None else v * 100 for v in values]))
    drawn.append(line_chart(_("The five hotline indicators by month"), labels, series))
    return drawn


class AnnualView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_annual"
    template_name = "reports/annual.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET.copy()
        if not data.get("year"):
            data["year"] = str(annual_year_default())
        form = AnnualForm(data)
        report = annual_report_for_user(self.request.user, form.cleaned_data["year"]) if form.is_valid() else None
        context.update(form=form, report=report, score_stages=score_stages())
        if report is not None:
            context["charts"] = charts(report)
        return context


class AnnualExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The year's annual report (?year=, default last year) as .xlsx or .docx, scoped as the page, audited."""

    permission_required = "reports.view_annual"
    kind = "xlsx"

    def get(self, request):
        from reports.exports_annual import annual_docx, annual_xlsx
        from reports.views import DOCX, XLSX, _download

        data = request.GET.copy()
        if not data.get("year"):
            data["year"] = str(annual_year_default())
        form = AnnualForm(data)
        if not form.is_valid() or not request.user.unit_id:
            errors = " ".join(str(e) for e in form.errors.get("year", []))
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        year = form.cleaned_data["year"]
        report = annual_report_for_user(request.user, year)
        audit_record(Action.DATA_EXPORTED, data={"export": f"annual.{self.kind}", "year": year})
        name = f"annual-{year}.{self.kind}"
        if self.kind == "xlsx":
            return _download(annual_xlsx(report), XLSX, name)
        title = _("Annual report %(year)s") % {"year": year}
        number = _("No. %(code)s") % {"code": year}
        today = timezone.localdate()
        return _download(annual_docx(report, title, number, today), DOCX, name)
