from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from alerts import selectors, services
from alerts.forms import AlertFilterForm, ConsultationForm, MergeForm
from core.errors import StateConflict
from core.pagination import LenientPageMixin, page_for
from tickets.masking import masked


class AlertListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    """Cluster alerts: open first; the section sees the bureau's, a unit's leaders those linking their unit."""

    template_name = "alerts/list.html"
    permission_required = "alerts.view_alerts"
    context_object_name = "alerts"
    paginate_by = 50

    def get_queryset(self):
        self.form = AlertFilterForm(self.request.GET or None)
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.alert_list_for_user(
            self.request.user, kind=filters.get("kind", ""), status=filters.get("status", "")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)


def _detail(request, alert, *, form=None, merge_form=None, status=200):
    user = request.user
    can_consult = alert.is_active and user.has_perm("alerts.consult_alert", alert)
    if can_consult and form is None:
        form = ConsultationForm(initial={"reply_line": alert.reply_line, "note": alert.consultation_note})
    merged_alerts = list(alert.merged_alerts.filter(status="merged").order_by("pk"))
    if can_consult and merge_form is None:
        candidates = services.alert_merge_candidates(alert)
        merge_form = MergeForm(candidates=candidates) if candidates else None
    page = page_for(Paginator(selectors.alert_tickets_for_user(user, alert), 50), request.GET.get("page"))
    rows = [
        {
            "ticket": ticket,
            "complainant_name": masked(ticket, "complainant_name"),
            "complainant_phone": masked(ticket, "complainant_phone"),
        }
        for ticket in page.object_list
    ]
    context = {
        "alert": alert,
        "units": selectors.alert_units(alert),
        "rows": rows,
        "page_obj": page,
        "is_paginated": page.paginator.num_pages > 1,
        "can_consult": can_consult,
        "form": form if can_consult else None,
        "merge_form": merge_form if can_consult else None,
        "merged_alerts": merged_alerts,
    }
    return render(request, "alerts/detail.html", context, status=status)


class AlertDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "alerts.view_alerts"

    def get(self, request, pk):
        return _detail(request, selectors.alert_get_for_user(request.user, pk))


def _alert_for_section(request, pk):
    if not request.user.is_authenticated:
        raise PermissionDenied
    alert = selectors.alert_get_for_user(request.user, pk)
    if not request.user.has_perm("alerts.consult_alert", alert):
        raise PermissionDenied
    return alert


@require_POST
def alert_consult(request, pk: int):
    alert = _alert_for_section(request, pk)
    form = ConsultationForm(request.POST)
    if not form.is_valid():
        return _detail(request, alert, form=form, status=400)
    try:
        services.alert_consult(
            alert, actor=request.user, reply_line=form.cleaned_data["reply_line"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _detail(request, alert, form=form, status=400)
    except StateConflict as error:
        form.add_error(None, str(error))
        return _detail(request, alert, form=form, status=400)
    messages.success(request, _("The consultation is recorded on every linked work order."))
    return redirect("alerts:detail", pk=alert.pk)


@require_POST
def alert_close(request, pk: int):
    alert = _alert_for_section(request, pk)
    services.alert_close(alert, actor=request.user)
    messages.success(request, _("The alert is closed."))
    return redirect("alerts:detail", pk=alert.pk)


@require_POST
def alert_merge(request, pk: int):
    """Merge the chosen alert (sharing a business) into this one."""
    alert = _alert_for_section(request, pk)
    candidates = services.alert_merge_candidates(alert) if alert.is_active else []
    merge_form = MergeForm(request.POST, candidates=candidates)
    if not merge_form.is_valid():
        return _detail(request, alert, merge_form=merge_form, status=400)
    other = selectors.alert_get_for_user(request.user, merge_form.cleaned_data["other"])
    try:
        services.alert_merge(alert, other, actor=request.user)
    except (ValidationError, StateConflict) as error:
        merge_form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        return _detail(request, alert, merge_form=merge_form, status=400)
    messages.success(request, _("The alerts are merged: its work orders and later ones of its key are in this alert."))
    return redirect("alerts:detail", pk=alert.pk)


@require_POST
def alert_split(request, pk: int):
    """Undo the merges into this alert."""
    alert = _alert_for_section(request, pk)
    try:
        split = services.alert_split(alert, actor=request.user)
    except StateConflict as error:
        messages.error(request, str(error))
        return redirect("alerts:detail", pk=alert.pk)
    messages.success(request, _("Split: %(count)s alerts are on their own again.") % {"count": len(split)})
    return redirect("alerts:detail", pk=alert.pk)
