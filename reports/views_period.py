"""Any period (任意时段): a month, a quarter, a year or a range of days, every figure with how it is counted and
year on year (reports.periods); a period whose months are not kept is counted in the background with its
progress shown (reports.tasks.count_period, reports.models.PeriodCount)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.tasks import task_publish
from reports import services
from reports.forms import PeriodForm
from reports.models import PeriodCount
from reports.periods import (
    adding_up,
    months_not_kept,
    period_default,
    period_figures_for_user,
    period_parse,
    range_counts_kept,
)
from reports.selectors.hotspots import hotspots_scope_unit


def period_form(request, data=None) -> PeriodForm:
    """The form bound to the query: ?kind=…&month=… (the form's fields), or ?period=2026-Q3 (a link), or nothing
    (the last complete month)."""
    data = (data if data is not None else request.GET).copy()
    if not data.get("kind"):
        try:
            period = period_parse(data["period"]) if data.get("period") else period_default()
        except ValueError:
            period = period_default()
        data.update(PeriodForm.data_of(period))
    _allowed, own_unit = hotspots_scope_unit(request.user)
    bureau_id = request.user.unit.bureau_id if request.user.unit_id else None
    return PeriodForm(data, bureau_id=bureau_id, own_unit_id=own_unit)


def needs_background(bureau_id: int, period, *, now) -> tuple[bool, list]:
    """(too long to count while the page waits, the months that would be counted): more than
    HOTLINE_REPORTS_LIVE_MONTHS months not kept (or a range of more than HOTLINE_REPORTS_LIVE_DAYS days not
    counted in the background lately) holding more than HOTLINE_REPORTS_LIVE_TICKETS work orders (one count
    on the bureau's index by receipt: the cost of counting grows with them)."""
    missing = months_not_kept(bureau_id, period, now=now)
    if missing is None:
        if period.days <= settings.HOTLINE_REPORTS_LIVE_DAYS or range_counts_kept(bureau_id, period, now=now):
            return False, []
        windows = [period.window]
    elif len(missing) <= settings.HOTLINE_REPORTS_LIVE_MONTHS:
        return False, missing
    else:
        windows = [(month.start, month.end) for month in missing]
    return received_more_than(bureau_id, windows, settings.HOTLINE_REPORTS_LIVE_TICKETS), missing


def received_more_than(bureau_id: int, windows, limit: int) -> bool:
    """Whether the bureau received more than `limit` work orders in these windows (stops counting past it)."""
    from django.db.models import Q

    from tickets.models import Ticket

    within = Q()
    for start, end in windows:
        within |= Q(received_at__gte=start, received_at__lt=end)
    return Ticket.objects.filter(within, bureau_id=bureau_id)[limit : limit + 1].exists()


def progress_data(row: PeriodCount | None) -> dict:
    if row is None:
        return {"status": "none", "done": 0, "total": 0, "percent": 0, "label": ""}
    return {
        "status": row.status,
        "done": row.done,
        "total": row.total,
        "percent": row.percent,
        "label": str(row.get_status_display()),
    }


class PeriodView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_reports"
    template_name = "reports/period.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = period_form(self.request)
        context.update(form=form, figures=None, background=False, job=None, adding_up=adding_up)
        if not form.is_valid() or not user.unit_id:
            return context
        now = timezone.now()
        period = form.cleaned_data["period"]
        bureau_id = user.unit.bureau_id
        background, missing = needs_background(bureau_id, period, now=now)
        job = PeriodCount.objects.filter(bureau_id=bureau_id, period=period.code).first()
        context.update(period=period, missing=missing, job=job, progress=progress_data(job))
        if background:
            context["background"] = True
            return context
        context["figures"] = period_figures_for_user(user, period, unit=form.cleaned_data.get("unit"), now=now)
        return context


class PeriodCountView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST: count the period in the background (reports.count_period), then back to the page, which shows the
    progress."""

    permission_required = "reports.view_reports"

    def post(self, request):
        form = period_form(request, request.POST)
        if not form.is_valid() or not request.user.unit_id:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("reports:period")
        period = form.cleaned_data["period"]
        bureau_id = request.user.unit.bureau_id
        running = PeriodCount.objects.filter(
            bureau_id=bureau_id, period=period.code, status__in=[PeriodCount.Status.QUEUED, PeriodCount.Status.RUNNING]
        ).exists()
        if not running:
            services.period_count_start(bureau_id, period, actor=request.user, now=timezone.now())
            transaction.on_commit(lambda: task_publish("reports.count_period", [bureau_id, period.code]))
            messages.success(request, _("The period is being counted in the background."))
        return redirect(f"{reverse('reports:period')}?period={period.code}")


class PeriodProgressView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """GET ?period=…: the background count's progress as JSON (the page's script polls it)."""

    permission_required = "reports.view_reports"
    raise_exception = True  # a script asks: 403, never the sign-in page

    def get(self, request):
        try:
            period = period_parse(request.GET.get("period", ""))
        except ValueError as error:
            return JsonResponse({"error": str(error)}, status=400)
        row = None
        if request.user.unit_id:
            row = PeriodCount.objects.filter(bureau_id=request.user.unit.bureau_id, period=period.code).first()
        return JsonResponse(progress_data(row))
