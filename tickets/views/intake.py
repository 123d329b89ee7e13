"""Manual intake (walk-in, phone, letter) with a duplicate warning before creating."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views import View

from tickets import services
from tickets.forms import IntakeForm, apply_service_errors

TEMPLATE = "tickets/intake.html"


class IntakeView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "tickets.create_ticket"

    def get(self, request):
        return render(request, TEMPLATE, {"form": IntakeForm()})

    def post(self, request):
        form = IntakeForm(request.POST)
        if not form.is_valid():
            return render(request, TEMPLATE, {"form": form}, status=400)
        try:
            ticket = services.ticket_intake(
                bureau=request.user.unit.bureau,
                actor=request.user,
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                **form.service_kwargs(),
            )
        except services.PossibleDuplicates as found:
            return render(request, TEMPLATE, {"form": form, "duplicates": found.tickets}, status=200)
        except ValidationError as error:
            apply_service_errors(form, error)
            return render(request, TEMPLATE, {"form": form}, status=400)
        messages.success(request, gettext("Work order %(number)s was created.") % {"number": ticket.external_id})
        return redirect("tickets:detail", pk=ticket.pk)
