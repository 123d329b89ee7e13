"""Pages of callbacks (回访) and special supervision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews import selectors, services
from reviews.choices import CallbackSource, Satisfaction
from reviews.filters import CallbackFilter, SupervisionFilter
from reviews.forms import CallbackAttemptForm, CallbackForm, SupervisionForm
from reviews.panel import keep_typed
from reviews.views.base import PAGE_SIZE, ReviewListView, next_url, report_error
from tickets.services import TransitionNotAllowed


class CallbackListView(ReviewListView):
    permission_required = "reviews.view_callbacks"
    template_name = "reviews/callbacks.html"
    context_object_name = "callbacks"

    def get_queryset(self):
        self.filterset = CallbackFilter(
            self.request.GET, queryset=selectors.callbacks_for_user(self.request.user), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = list(selectors.callback_tasks_for_user(self.request.user)[:PAGE_SIZE])
        # "Not reached" only where the callback rule holds (the unit's management sees the list, the section calls)
        context["may_attempt"] = {
            task.pk for task in context["tasks"] if self.request.user.has_perm("reviews.record_callback", task.ticket)
        }
        context["attempt_form"] = CallbackAttemptForm()
        return context


@login_required
@require_POST
def callback_create(request, pk):
    ticket = selectors.review_ticket_for_user(request.user, pk)
    if not request.user.has_perm("reviews.record_callback", ticket):
        raise PermissionDenied
    form = CallbackForm(request.POST)
    target = next_url(request, reverse("reviews:review", args=[ticket.pk]))
    if not form.is_valid():
        keep_typed(request, ticket, "callback")  # the comment typed comes back with the form
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
        report_error(request, error)
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
        report_error(request, error)
    else:
        messages.success(request, _("Attempt recorded; try again later."))
    return redirect(reverse("reviews:callbacks"))


class SupervisionListView(ReviewListView):
    permission_required = "reviews.view_supervisions"
    template_name = "reviews/supervisions.html"
    context_object_name = "supervisions"

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
                report_error(request, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("reviews:supervision", args=[supervision.pk]))
    return render(request, "reviews/supervision.html", {"supervision": supervision, "form": form, "can_edit": can_edit})
