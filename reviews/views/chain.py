"""Pages of the review chain: replies waiting for review, the review page, approve, return for redo, returns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from reviews import selectors, services
from reviews.choices import Stage
from reviews.filters import ReturnFilter
from reviews.forms import ApproveForm, ReturnForm
from reviews.panel import keep_typed
from reviews.views.base import ReviewListView, next_url, report_error
from tickets.services import TicketConflict, TransitionNotAllowed


def _refuse(request, ticket):
    """No permission to review this ticket. When the page the user acted on is stale (a second click after the
    first already moved the ticket on) say so and show the ticket; otherwise 403."""
    try:
        stale = int(request.POST.get("version", "")) != ticket.version
    except ValueError:
        stale = False
    if not stale:
        raise PermissionDenied
    messages.error(request, _("This work order is no longer at this step. Reload it."))
    return redirect(reverse("reviews:review", args=[ticket.pk]))


class PendingReviewsView(ReviewListView):
    permission_required = "reviews.view_pending_reviews"
    template_name = "reviews/pending.html"
    context_object_name = "tickets"

    def get_queryset(self):
        stage = self.request.GET.get("stage", "")
        return selectors.pending_reviews_for_user(self.request.user, stage=stage if stage in Stage.values else "")


class ReviewView(LoginRequiredMixin, TemplateView):
    """A reply under review: the ticket's summary, its tracks and returns, and the review panel."""

    template_name = "reviews/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ticket"] = selectors.review_ticket_for_user(self.request.user, kwargs["pk"])
        return context


def _review_step(request, pk, form_class, service, done_message: str, form_name: str):
    """Approve and return for redo: the scoped ticket, the review rule, the form, one service, back to the list.
    The form's fields are the service's keywords, its `version` the expected version."""
    ticket = selectors.review_ticket_for_user(request.user, pk)
    if not request.user.has_perm("reviews.review_ticket", ticket):
        return _refuse(request, ticket)
    form = form_class(request.POST)
    review_page = reverse("reviews:review", args=[ticket.pk])
    if not form.is_valid():
        # the form comes back with what was typed and its errors beside the fields (reviews.panel.keep_typed)
        keep_typed(request, ticket, form_name)
        messages.error(request, _("Not sent: see what is marked below."))
        return redirect(review_page + "#review")
    data = dict(form.cleaned_data)
    try:
        service(ticket, actor=request.user, expected_version=data.pop("version"), **data)
    except ValidationError as error:
        keep_typed(request, ticket, form_name)
        report_error(request, error)
        return redirect(review_page + "#review")
    except (TicketConflict, TransitionNotAllowed) as error:
        report_error(request, error)
        return redirect(review_page)
    messages.success(request, done_message)
    return redirect(next_url(request, reverse("reviews:pending")))


@login_required
@require_POST
def approve(request, pk):
    return _review_step(request, pk, ApproveForm, services.review_approve, _("Approved."), "approve")


@login_required
@require_POST
def return_for_redo(request, pk):
    return _review_step(
        request, pk, ReturnForm, services.review_return, _("Returned to the handler for redo."), "return"
    )


class ReturnListView(ReviewListView):
    permission_required = "reviews.view_returns"
    template_name = "reviews/returns.html"
    context_object_name = "returns"

    def get_queryset(self):
        self.filterset = ReturnFilter(
            self.request.GET, queryset=selectors.returns_for_user(self.request.user), request=self.request
        )
        return self.filterset.qs
