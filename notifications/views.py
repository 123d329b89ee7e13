from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.pagination import page_for
from notifications import selectors, services
from notifications.messages import render


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        paginator = Paginator(selectors.notification_list_for_user(self.request.user), self.paginate_by)
        page = page_for(paginator, self.request.GET.get("page"))
        rows = [(n, render(n.code, n.data, viewer=self.request.user)) for n in page.object_list]
        return super().get_context_data(page=page, rows=rows, **kwargs)


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(reverse("notifications:list"))


@require_POST
def mark_read(request, pk: int):
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login"))
    notification = selectors.notification_get_for_user(request.user, pk)
    services.notification_mark_read(notification, user=request.user)
    return _back(request)


@require_POST
def mark_all_read(request):
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("login"))
    services.notifications_mark_all_read(user=request.user)
    return _back(request)


class DuePanelView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Due soon / overdue: the clocks whose reminders run, for a handler or a unit's leaders."""

    template_name = "notifications/due.html"
    permission_required = "notifications.view_due_panel"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        today = timezone.localdate(now)
        clocks = list(selectors.clock_due_list_for_user(self.request.user, now=now)[:300])
        rows = []
        for clock in clocks:
            due_day = timezone.localdate(clock.due_at)
            state = "overdue" if clock.due_at < now else ("today" if due_day == today else "soon")
            rows.append((clock, state))
        return super().get_context_data(rows=rows, **kwargs)


class TierCountsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Overdue and reminder-tier counts per unit, for sections and leaders."""

    template_name = "notifications/tiers.html"
    permission_required = "notifications.view_tier_counts"

    def get_context_data(self, **kwargs):
        return super().get_context_data(units=selectors.clock_tier_counts_for_user(self.request.user), **kwargs)
