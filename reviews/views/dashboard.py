"""The review dashboard and the overdue list it links to."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.jinja2 import local_time_label
from reviews import selectors, services
from reviews.views.base import ReviewListView
from tickets.rules import is_bureau_wide
from tickets.views.lists import PK_MARKER


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "reviews.view_dashboard"
    template_name = "reviews/dashboard.html"
    template_engine = "jinja2"  # a Jinja2 page (hotline/jinja2.py)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # a bureau-wide viewer (every holder of reviews.view_dashboard) reads the bureau's stored counts
        stored = (
            services.dashboard_figures_current(user.bureau_id, now=timezone.now()) if is_bureau_wide(user) else None
        )
        figures = selectors.dashboard_for_user(user, stored=stored)
        head, tail = reverse("reviews:review", args=[PK_MARKER]).split(str(PK_MARKER))
        for ticket in figures["pending"]:
            ticket.review_url = f"{head}{ticket.pk}{tail}"
        context.update(
            figures,
            since_text=_("This month: since %(since)s") % {"since": local_time_label(figures["since"], "Y-m-d")},
            computed_text=_("Figures as of %(time)s") % {"time": local_time_label(figures["computed_at"], "H:i")},
        )
        return context


class OverdueListView(ReviewListView):
    permission_required = "reviews.view_dashboard"
    template_name = "reviews/overdue.html"
    context_object_name = "tickets"

    def get_queryset(self):
        return selectors.overdue_for_user(self.request.user, unit_id=_int_or_none(self.request.GET.get("unit")))
