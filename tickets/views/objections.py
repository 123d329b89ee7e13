"""Dispatch objections (派单异议) on the screens: the unit's form on the ticket page, the section's list of pending
objections and its decision (docs/dispatch.md)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from core.pagination import LenientPageMixin
from tickets import selectors, services
from tickets.forms import ObjectionDecideForm, ObjectionForm
from tickets.rules import in_objection_window, unit_handles
from tickets.services import ObjectionRefused, TicketConflict, TicketMerged, TransitionNotAllowed
from tickets.services.objections import window_closed_message
from tickets.views.actions import TicketActionView, conflict_message
from tickets.views.detail import render_detail

PAGE_SIZE = 50


class ObjectionView(TicketActionView):
    """The unit objects to the dispatch: reason, explanation, evidence files."""

    can_key = form_key = "objection"
    form_class = ObjectionForm
    form_prefix = "objection"
    success_message = _("The objection was sent to the section for a decision.")

    def post(self, request, pk):
        # After the window, the unit is told why and what is left (the return to the platform), not "moved on".
        ticket = selectors.ticket_detail_for_user(request.user, pk)
        user = request.user
        if unit_handles(user, ticket) and ticket.dispatched_at and not in_objection_window(user, ticket):
            return render_detail(request, pk, status=409, conflict=window_closed_message())
        return super().post(request, pk)

    def perform(self, request, ticket, form):
        data = form.cleaned_data
        services.ticket_object(
            ticket,
            actor=request.user,
            reason_code=data["reason_code"],
            text=data["text"],
            files=data["files"],
            expected_version=data["version"],
        )


class ObjectionListView(LoginRequiredMixin, PermissionRequiredMixin, LenientPageMixin, ListView):
    """Dispatch objections waiting for the section's decision, oldest first."""

    permission_required = "tickets.view_objections"
    template_name = "tickets/objection_list.html"
    template_engine = "jinja2"
    context_object_name = "objections"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.objection_pending_for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["units"] = list(selectors.unit_choices_for_user(self.request.user))
        return context


class ObjectionDecideView(LoginRequiredMixin, View):
    """Uphold (re-dispatch to the unit chosen) or reject (with a reason); back to the list or the ticket."""

    http_method_names = ["post"]

    def post(self, request, pk):
        objection = selectors.objection_get_for_user(request.user, pk)  # another bureau's: 404
        if not request.user.has_perm("tickets.decide_objection", objection.ticket):
            raise PermissionDenied
        form = ObjectionDecideForm(request.POST, units=selectors.unit_choices_for_user(request.user))
        back = redirect("tickets:objections") if request.POST.get("back") == "list" else None
        back = back or redirect("tickets:detail", pk=objection.ticket_id)
        if not form.is_valid():
            messages.error(request, gettext("Choose uphold (with the unit) or reject (with the reason)."))
            return back
        data = form.cleaned_data
        try:
            services.objection_decide(
                objection, actor=request.user, decision=data["decision"], unit=data["unit"], reason=data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back
        except (ObjectionRefused, TicketConflict, TransitionNotAllowed, TicketMerged) as error:
            if isinstance(error, ObjectionRefused):
                messages.error(request, str(error))
            else:
                messages.error(request, conflict_message(error))
            return back
        if data["decision"] == "uphold":
            messages.success(
                request, gettext("Objection upheld: the work order went to %(unit)s.") % {"unit": data["unit"]}
            )
        else:
            messages.success(request, gettext("Objection rejected: the unit keeps the work order."))
        return back
