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
from reports import services
from reports.charts import bar_chart, line_chart
from reports.forms import AnnualForm
from reports.models import PeriodCount
from reports.periods import Period
from reports.rules import reads_whole_bureau
from reports.selectors.annual import AnnualReport, annual_report_for_user, annual_year_default, score_stages
from reports.views_period import needs_background, progress_data


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
        context.update(form=form, report=None, score_stages=score_stages())
        user = self.request.user
        if not form.is_valid() or not user.unit_id:
            return context
        now = timezone.now()
        year = form.cleaned_data["year"]
        period = Period.year(year)
        background, missing = needs_background(user.unit.bureau_id, period, now=now)
        if background:  # the year's months are not kept: counted in the background, not while the page waits
            job = PeriodCount.objects.filter(bureau_id=user.unit.bureau_id, period=period.code).first()
            context.update(background=True, period=period, missing=missing, job=job, progress=progress_data(job))
            return context
        report = annual_report(user, year, now=now)
        context["report"] = report
        if report is not None:
            context["charts"] = charts(report)
        return context


def annual_report(user, year: int, *, now):
    """The report for this reader: a reader of the whole bureau's from the kept sections (reports.services.
    annual_counts_current: counted once, then read); a unit leader's own unit's counted when read."""
    stored = None
    if user.unit_id and reads_whole_bureau(user):
        stored = services.annual_counts_current(user.unit.bureau_id, year, now=now).data
    return annual_report_for_user(user, year, now=now, stored=stored)


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
        report = annual_report(request.user, year, now=timezone.now())
        audit_record(Action.DATA_EXPORTED, data={"export": f"annual.{self.kind}", "year": year})
        name = f"annual-{year}.{self.kind}"
        if self.kind == "xlsx":
            return _download(annual_xlsx(report), XLSX, name)
        title = _("Annual report %(year)s") % {"year": year}
        number = _("No. %(code)s") % {"code": year}
        today = timezone.localdate()
        return _download(annual_docx(report, title, number, today), DOCX, name)
