"""The monthly briefing: one page and its CSV export, both from reports.selectors.briefing_for_user."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from audit.choices import Action
from audit.services import audit_record
from reports import services
from reports.assessment import assessment_current
from reports.forms import BriefingForm
from reports.selectors.briefing import briefing_for_user, briefing_table
from reports.selectors.months import month_with_data
from workdays.calendar import SHANGHAI


def _form_and_month(request):
    """The form bound to ?month= and the month, or None when invalid. Without ?month=, the latest month with data
    (reports.selectors.months.month_with_data): a leader's first look shows figures, and the page says which month."""
    data = request.GET.copy()
    chosen = None
    if not data.get("month"):
        user = request.user
        chosen = month_with_data(user.unit.bureau_id if user.unit_id else None)
        data["month"] = str(chosen)
    form = BriefingForm(data)
    form.chosen_for_you = chosen
    return form, (form.cleaned_data["month"] if form.is_valid() else None)


def _briefing(user, month):
    """The briefing, from the bureau's kept counts when the month is closed (reports.services)."""
    now = timezone.now()
    stored = services.monthly_counts_current(user.unit.bureau_id, month, now=now) if user.unit_id else None
    return briefing_for_user(user, month=month, now=now, stored=stored)


class BriefingView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_reports"
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, month = _form_and_month(self.request)
        context["form"] = form
        context["briefing"] = _briefing(self.request.user, month) if month else None
        # a closed month's counts are kept (reports.services); the month in progress is counted on every view
        context["can_recount"] = (
            bool(month) and month.end <= timezone.now() and self.request.user.has_perm("reports.recount_month")
        )
        user = self.request.user
        context["can_keep"] = user.unit_id is not None and user.has_perm("reports.keep_briefing")
        context["kept_files"] = kept_briefings(user.unit.bureau_id) if context["can_keep"] else []
        return context


KEPT_SHOWN = 24  # the kept briefings listed on the page, newest first (a year's schedule: 24 files)


def kept_briefings(bureau_id: int) -> list:
    """The bureau's kept briefing files, newest first, with who made them (one query)."""
    from reports.models import BriefingFile

    return list(
        BriefingFile.objects.filter(bureau_id=bureau_id)
        .select_related("made_by")
        .order_by("-made_at", "-pk")[:KEPT_SHOWN]
    )


@require_POST
@login_required
@permission_required("reports.keep_briefing", raise_exception=True)
def briefing_make(request):
    """Make the month's briefing as .xlsx and .docx now and keep both with who made them."""
    form = BriefingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("month", [])))
        return redirect("reports:index")
    month = form.cleaned_data["month"]
    if request.user.unit_id:
        services.briefing_files_make(request.user.unit.bureau_id, month, actor=request.user, now=timezone.now())
        messages.success(request, _("The briefing was made and kept."))
    return redirect(f"{reverse('reports:index')}?month={month}")


@require_GET
@login_required
@permission_required("reports.keep_briefing", raise_exception=True)
def briefing_file(request, pk: int):
    """A kept briefing file of the reader's bureau, as a download (audited); another bureau's: 404."""
    from django.shortcuts import get_object_or_404

    from core.downloads import file_download
    from reports.models import BriefingFile

    kept = get_object_or_404(
        BriefingFile, pk=pk, bureau_id=request.user.unit.bureau_id if request.user.unit_id else None
    )
    audit_record(
        Action.DATA_EXPORTED,
        data={"export": f"briefing.{kept.kind}", "month": f"{kept.month:%Y-%m}", "kept": kept.pk},
    )
    content_type = XLSX if kept.kind == "xlsx" else DOCX
    return file_download(
        kept.file.open("rb"), filename=f"briefing-{kept.month:%Y-%m}.{kept.kind}", content_type=content_type
    )


class BriefingCsvView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.view_reports"

    def get(self, request):
        form, month = _form_and_month(request)
        if month is None:
            errors = " ".join(str(e) for e in form.errors.get("month", []))
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        header, rows = briefing_table(_briefing(request.user, month))
        audit_record(Action.DATA_EXPORTED, data={"export": "briefing", "month": str(month), "rows": len(rows)})
        buffer = io.StringIO()
        buffer.write("\ufeff")  # a BOM: Excel opens UTF-8 (and so the Chinese) only with one
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="briefing-{month}.csv"'
        return response


@require_POST
@login_required
@permission_required("reports.recount_month", raise_exception=True)
def recount(request):
    """Count a month again now (after a correction, or to see the month in progress as of now)."""
    form = BriefingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("month", [])))
        return redirect("reports:index")
    month = form.cleaned_data["month"]
    if request.user.unit_id:
        services.monthly_counts_store(request.user.unit.bureau_id, month, now=timezone.now())
        messages.success(request, _("The month was counted again."))
    return redirect(f"{reverse('reports:index')}?month={month}")


def _year(request, *, now) -> tuple[int | None, str]:
    """?year= (default: last year), from EARLIEST_YEAR to this year; (None, the error) when invalid."""
    from reports.selectors.months import EARLIEST_YEAR

    raw = (request.GET.get("year") or request.POST.get("year") or "").strip()
    this_year = now.astimezone(SHANGHAI).year
    if not raw:
        return this_year - 1, ""
    if not raw.isdigit() or not EARLIEST_YEAR <= int(raw) <= this_year:
        return None, _("Choose a year from %(first)s to %(last)s.") % {"first": EARLIEST_YEAR, "last": this_year}
    return int(raw), ""


class AssessmentView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The annual assessment of units (年度考核): the kept result of the year, or the scores as of now."""

    permission_required = "reports.view_assessment"
    template_name = "reports/assessment.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        year, error = _year(self.request, now=now)
        user = self.request.user
        context.update(year=year, error=error, result=None, lines=[], can_keep=user.has_perm("reports.keep_assessment"))
        if year is None or not user.unit_id:
            return context
        context["result"] = assessment_current(user, year, now=now)
        return context


@require_POST
@login_required
@permission_required("reports.keep_assessment", raise_exception=True)
def assessment_keep(request):
    """Keep the year's assessment now, with the scheme in force (replacing the year's kept result)."""
    now = timezone.now()
    year, error = _year(request, now=now)
    if year is None:
        messages.error(request, error)
        return redirect("reports:assessment")
    if request.user.unit_id:
        services.assessment_keep(request.user.unit.bureau_id, year, actor=request.user, now=now)
        messages.success(request, _("The assessment was kept with the weights in force."))
    return redirect(f"{reverse('reports:assessment')}?year={year}")


# ---------------------------------------------------------------- exports (.xlsx, .docx)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PeriodExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """A period's figures (?period=2026-09 the monthly briefing, 2026-Q3, 2026 the year, or a range) as .xlsx or
    .docx, scoped as the pages (reports.periods.period_figures_for_user)."""

    permission_required = "reports.view_reports"
    kind = "xlsx"

    def get(self, request):
        from reports import exports
        from reports.periods import period_default, period_figures_for_user, period_parse

        now = timezone.now()
        raw = request.GET.get("period", "").strip()
        try:
            period = period_parse(raw, now=now) if raw else period_default(now=now)
        except ValueError as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        figures = period_figures_for_user(request.user, period, now=now)
        title = _("Hotline indicators, %(period)s") % {"period": period}
        audit_record(Action.DATA_EXPORTED, data={"export": f"indicators.{self.kind}", "period": period.code})
        name = f"indicators-{period.code.replace('..', '_')}.{self.kind}"
        if self.kind == "xlsx":
            return _download(exports.figures_xlsx(figures, title), XLSX, name)
        number = _("No. %(code)s") % {"code": period.code}
        return _download(exports.figures_docx(figures, title, number, now.astimezone(SHANGHAI).date()), DOCX, name)


class AssessmentExportView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The year's assessment (kept, or as of now) as .xlsx or .docx, scoped as the page."""

    permission_required = "reports.view_assessment"
    kind = "xlsx"

    def get(self, request):
        from reports import exports

        now = timezone.now()
        year, error = _year(request, now=now)
        if year is None or not request.user.unit_id:
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        assessment = assessment_current(request.user, year, now=now)
        title = _("Annual assessment of units, %(year)s") % {"year": year}
        audit_record(Action.DATA_EXPORTED, data={"export": f"assessment.{self.kind}", "year": year})
        name = f"assessment-{year}.{self.kind}"
        if self.kind == "xlsx":
            return _download(exports.assessment_xlsx(assessment, title), XLSX, name)
        number = _("No. %(code)s") % {"code": year}
        return _download(
            exports.assessment_docx(assessment, title, number, now.astimezone(SHANGHAI).date()), DOCX, name
        )
