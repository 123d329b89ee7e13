"""The leader's screen (数据大屏): a full-screen page and the JSON it refreshes itself from
(static/js/screen.js), both from reports.selectors.screen."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.views import View
from django.views.generic import TemplateView

from reports import services
from reports.selectors.months import Month
from reports.selectors.screen import kept_figures, screen_figures


def figures_for(user) -> dict:
    """The user's bureau's screen figures, kept a few seconds per process (reports.selectors.screen)."""
    if user.unit_id is None:
        raise PermissionDenied
    bureau_id = user.unit.bureau_id

    def load() -> dict:
        now = timezone.now()
        stored = services.monthly_counts_current(bureau_id, Month.of(now), now=now)
        return screen_figures(user, now=now, stored=stored)

    return kept_figures.get((bureau_id, get_language()), load)


class ScreenView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "reports.view_screen"
    template_name = "reports/screen.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["figures"] = figures_for(self.request.user)
        context["refresh_seconds"] = settings.HOTLINE_SCREEN_REFRESH_SECONDS
        return context


class ScreenDataView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.view_screen"
    raise_exception = True  # a script asking: 403, not the sign-in page

    def get(self, request):
        return JsonResponse(figures_for(request.user), json_dumps_params={"ensure_ascii": False})
