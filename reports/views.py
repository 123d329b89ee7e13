"""The monthly briefing: one page and its CSV export, both from reports.selectors.briefing_for_user."""

from __future__ import annotations

import csv
import io

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from reports.forms import BriefingForm
from reports.selectors import briefing_for_user, briefing_table, month_default


def _form_and_month(request):
    """The form bound to ?month= (the last complete month when absent) and the month, or None when invalid."""
    data = request.GET.copy()
    if not data.get("month"):
        data["month"] = str(month_default())
    form = BriefingForm(data)
    return form, (form.cleaned_data["month"] if form.is_valid() else None)


class BriefingView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_reports"
    template_name = "reports/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, month = _form_and_month(self.request)
        context["form"] = form
        context["briefing"] = briefing_for_user(self.request.user, month=month) if month else None
        return context


class BriefingCsvView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.view_reports"

    def get(self, request):
        form, month = _form_and_month(request)
        if month is None:
            errors = " ".join(str(e) for e in form.errors.get("month", []))
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        header, rows = briefing_table(briefing_for_user(request.user, month=month))
        buffer = io.StringIO()
        buffer.write("\ufeff")  # a BOM: Excel opens UTF-8 (and so the Chinese) only with one
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="briefing-{month}.csv"'
        return response
