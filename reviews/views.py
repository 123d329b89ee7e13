"""Thin views: scoped selector -> permission -> form -> one service -> redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView

from core.jinja2 import local_time_label
from core.pagination import LenientPageMixin
from reviews import selectors, services
from reviews.choices import CallbackSource, Satisfaction, Stage
from reviews.filters import CallbackFilter, ReturnFilter, SupervisionFilter
from reviews.forms import (
    ApproveForm,
    CallbackAttemptForm,
    CallbackForm,
    CampaignForm,
    FindingsForm,
    KeyPointForm,
    ReturnForm,
    ScoreForm,
    SupervisionForm,
    TrainingForm,
)
from tickets.rules import is_bureau_wide
from tickets.services import TicketConflict, TransitionNotAllowed
from tickets.views.lists import PK_MARKER

PAGE_SIZE = 50


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _report_error(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    elif isinstance(error, TransitionNotAllowed):
        messages.error(request, _("This work order is no longer at this step. Reload it."))
    else:
        messages.error(request, str(error))


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


def _bureau_of(user):
    """The bureau a page writes into: the user's; someone without a unit has none (404, not a 500)."""
    if user.unit_id is None:
        raise Http404
    return user.unit.bureau


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------- the review chain


class PendingReviewsView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    permission_required = "reviews.view_pending_reviews"
    template_name = "reviews/pending.html"
    context_object_name = "tickets"
    paginate_by = PAGE_SIZE

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


@login_required
@require_POST
def approve(request, pk):
    ticket = selectors.review_ticket_for_user(request.user, pk)
    if not request.user.has_perm("reviews.review_ticket", ticket):
        return _refuse(request, ticket)
    form = ApproveForm(request.POST)
    target = _next_url(request, reverse("reviews:pending"))
    if not form.is_valid():
        messages.error(request, _("The form is not valid."))
        return redirect(target)
    try:
        services.review_approve(
            ticket,
            actor=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, TicketConflict, TransitionNotAllowed) as error:
        _report_error(request, error)
        return redirect(reverse("reviews:review", args=[ticket.pk]))
    messages.success(request, _("Approved."))
    return redirect(target)


@login_required
@require_POST
def return_for_redo(request, pk):
    ticket = selectors.review_ticket_for_user(request.user, pk)
    if not request.user.has_perm("reviews.review_ticket", ticket):
        return _refuse(request, ticket)
    form = ReturnForm(request.POST)
    target = _next_url(request, reverse("reviews:pending"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("reviews:review", args=[ticket.pk]))
    try:
        services.review_return(
            ticket,
            actor=request.user,
            reason_codes=form.cleaned_data["reason_codes"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except (ValidationError, TicketConflict, TransitionNotAllowed) as error:
        _report_error(request, error)
        return redirect(reverse("reviews:review", args=[ticket.pk]))
    messages.success(request, _("Returned to the handler for redo."))
    return redirect(target)


class ReturnListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    permission_required = "reviews.view_returns"
    template_name = "reviews/returns.html"
    context_object_name = "returns"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = ReturnFilter(
            self.request.GET, queryset=selectors.returns_for_user(self.request.user), request=self.request
        )
        return self.filterset.qs


# ---------------------------------------------------------------- dashboard


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


class OverdueListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    permission_required = "reviews.view_dashboard"
    template_name = "reviews/overdue.html"
    context_object_name = "tickets"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.overdue_for_user(self.request.user, unit_id=_int_or_none(self.request.GET.get("unit")))


# ---------------------------------------------------------------- callbacks and supervision


class CallbackListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    permission_required = "reviews.view_callbacks"
    template_name = "reviews/callbacks.html"
    context_object_name = "callbacks"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = CallbackFilter(
            self.request.GET, queryset=selectors.callbacks_for_user(self.request.user), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = list(selectors.callback_tasks_for_user(self.request.user)[:PAGE_SIZE])
        context["attempt_form"] = CallbackAttemptForm()
        return context


@login_required
@require_POST
def callback_create(request, pk):
    ticket = selectors.review_ticket_for_user(request.user, pk)
    if not request.user.has_perm("reviews.record_callback", ticket):
        raise PermissionDenied
    form = CallbackForm(request.POST)
    target = _next_url(request, reverse("reviews:review", args=[ticket.pk]))
    if not form.is_valid():
        messages.error(request, _("Choose whether the request was resolved and how satisfied the citizen is."))
        return redirect(target)
    try:
        _callback, created = services.callback_record(
            ticket,
            satisfaction=form.cleaned_data["satisfaction"],
            resolved=form.cleaned_data["resolved"],
            comment=form.cleaned_data["comment"],
            actor=request.user,
            source=CallbackSource.STAFF,
        )
    except (ValidationError, TransitionNotAllowed) as error:
        _report_error(request, error)
        return redirect(target)
    if form.cleaned_data["satisfaction"] == Satisfaction.UNSATISFIED:
        messages.warning(request, _("Callback recorded: the work order is reopened for redo."))
    else:
        messages.success(request, _("Callback recorded."))
    return redirect(target)


@login_required
@require_POST
def callback_attempt(request, pk):
    task = selectors.callback_task_get_for_user(request.user, pk)
    if not request.user.has_perm("reviews.record_callback", task.ticket):
        raise PermissionDenied
    form = CallbackAttemptForm(request.POST)
    form.is_valid()
    try:
        services.callback_task_attempt(task, actor=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        _report_error(request, error)
    else:
        messages.success(request, _("Attempt recorded; try again later."))
    return redirect(reverse("reviews:callbacks"))


class SupervisionListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    permission_required = "reviews.view_supervisions"
    template_name = "reviews/supervisions.html"
    context_object_name = "supervisions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        queryset = selectors.supervisions_for_user(self.request.user)
        return SupervisionFilter(self.request.GET, queryset=queryset).qs


@login_required
def supervision_detail(request, pk):
    supervision = selectors.supervision_get_for_user(request.user, pk)
    can_edit = request.user.has_perm("reviews.manage_supervision", supervision)
    form = SupervisionForm(
        request.POST or None,
        initial={
            "cause_analysis": supervision.cause_analysis,
            "responsible_person": supervision.responsible_person,
            "is_typical_case": supervision.is_typical_case,
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.supervision_update(supervision, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _report_error(request, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("reviews:supervision", args=[supervision.pk]))
    return render(request, "reviews/supervision.html", {"supervision": supervision, "form": form, "can_edit": can_edit})


# ---------------------------------------------------------------- inspections


class CampaignListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    permission_required = "reviews.view_campaigns"
    template_name = "reviews/campaigns.html"
    context_object_name = "campaigns"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.campaigns_for_user(self.request.user)


@login_required
def campaign_create(request):
    if not request.user.has_perm("reviews.manage_campaigns"):
        raise PermissionDenied
    bureau = _bureau_of(request.user)
    form = CampaignForm(request.POST or None, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                bureau=bureau,
                actor=request.user,
                name=data["name"],
                finding=data["finding"],
                outcome=data["outcome"],
                kind=data["kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                seed=data["seed"],
                quotas=form.quotas(),
            )
        except ValidationError as error:
            _report_error(request, error)
        else:
            return redirect(reverse("reviews:campaign", args=[campaign.pk]))
    return render(request, "reviews/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    if not request.user.has_perm("reviews.view_campaigns"):
        raise PermissionDenied
    campaign = selectors.campaign_get_for_user(request.user, pk)
    samples = list(selectors.samples_for_user(request.user, campaign))
    return render(
        request,
        "reviews/campaign.html",
        {
            "campaign": campaign,
            "samples": samples,
            "summary": selectors.campaign_summary(campaign),
            "quotas": list(campaign.quotas.select_related("unit")),
            "can_manage": request.user.has_perm("reviews.manage_campaigns"),
            "findings_form": FindingsForm(initial={"findings": campaign.findings}),
            "key_points": list(campaign.key_points.all()),
        },
    )


@login_required
@require_POST
def campaign_draw(request, pk):
    if not request.user.has_perm("reviews.manage_campaigns"):
        raise PermissionDenied
    campaign = selectors.campaign_get_for_user(request.user, pk)
    try:
        samples = services.campaign_draw_sample(campaign, actor=request.user)
    except ValidationError as error:
        _report_error(request, error)
    else:
        messages.success(request, _("Sample drawn: %(count)d work orders.") % {"count": len(samples)})
    return redirect(reverse("reviews:campaign", args=[campaign.pk]))


@login_required
@require_POST
def campaign_findings(request, pk):
    if not request.user.has_perm("reviews.manage_campaigns"):
        raise PermissionDenied
    campaign = selectors.campaign_get_for_user(request.user, pk)
    form = FindingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        points = []
        if data["key_point_title"] and data["key_point_body"]:
            points.append(
                {
                    "title": data["key_point_title"],
                    "body": data["key_point_body"],
                    "category": data["key_point_category"],
                    "kind": data["key_point_kind"],
                }
            )
        services.campaign_record_findings(campaign, actor=request.user, findings=data["findings"], key_points=points)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Write the findings."))
    return redirect(reverse("reviews:campaign", args=[campaign.pk]))


@login_required
@require_POST
def sample_score(request, pk):
    sample = selectors.sample_get_for_user(request.user, pk)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a score from 0 to 100."))
        return redirect(reverse("reviews:campaign", args=[sample.campaign_id]))
    if not request.user.has_perm("reviews.score_sample", (sample, form.cleaned_data["stage"])):
        raise PermissionDenied
    services.sample_score(sample, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Score saved."))
    return redirect(reverse("reviews:campaign", args=[sample.campaign_id]))


# ---------------------------------------------------------------- key points and training


@login_required
def key_points(request):
    if not request.user.has_perm("reviews.view_key_points"):
        raise PermissionDenied
    can_manage = request.user.has_perm("reviews.manage_key_points")
    form = KeyPointForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            services.key_point_create(bureau=_bureau_of(request.user), actor=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(reverse("reviews:key_points"))
    points = list(selectors.key_points_for_user(request.user))
    return render(request, "reviews/key_points.html", {"points": points, "form": form, "can_manage": can_manage})


@login_required
def training(request):
    if not request.user.has_perm("reviews.view_training"):
        raise PermissionDenied
    can_manage = request.user.has_perm("reviews.manage_training")
    bureau = _bureau_of(request.user)
    form = TrainingForm(request.POST or None, bureau=bureau)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.training_create(bureau=bureau, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _report_error(request, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("reviews:training"))
    return render(
        request,
        "reviews/training.html",
        {
            "sessions": list(selectors.training_sessions_for_user(request.user)[:PAGE_SIZE]),
            "person_times": selectors.training_person_times(request.user),
            "form": form,
            "can_manage": can_manage,
        },
    )
