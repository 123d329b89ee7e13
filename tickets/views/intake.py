"""Manual intake (walk-in, phone, letter) with a duplicate warning before creating."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
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
        bureau = request.user.unit.bureau
        data = form.cleaned_data
        duplicates = services.ticket_find_duplicates(
            bureau=bureau,
            source=data["source"],
            external_id=data["external_id"].strip(),
            phone=data["complainant_phone"],
            respondent_name=data["respondent_name"].strip(),
            credit_code=data["respondent_credit_code"],
            received_at=data["received_at"],
        )
        if duplicates and not data["confirm_duplicate"]:
            return render(request, TEMPLATE, {"form": form, "duplicates": duplicates}, status=200)
        try:
            ticket = services.ticket_create(bureau=bureau, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
            return render(request, TEMPLATE, {"form": form}, status=400)
        except IntegrityError:
            form.add_error("external_id", gettext("A work order with this number from this source already exists."))
            return render(request, TEMPLATE, {"form": form}, status=400)
        messages.success(request, gettext("Work order %(number)s was created.") % {"number": ticket.external_id})
        return redirect("tickets:detail", pk=ticket.pk)
