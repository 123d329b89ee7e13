"""Manual intake (walk-in, phone, letter) with a duplicate warning before creating, leading to the merge (并单)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View

from core.errors import StateConflict
from tickets import services
from tickets.choices import OPEN_STATUSES, Status
from tickets.forms import IntakeForm, apply_service_errors
from tickets.models import Ticket

TEMPLATE = "tickets/intake.html"


def may_merge_new(user) -> bool:
    """Whether the user may merge a work order just taken in (tickets.rules' merge rule asked of one: received, in
    the user's bureau, not merged), so the warning offers the merge only to those the merge action accepts."""
    if user.unit_id is None:
        return False
    return user.has_perm("tickets.merge_ticket", Ticket(bureau_id=user.unit.bureau_id, status=Status.RECEIVED))


def mergeable_into(ticket: Ticket) -> bool:
    return ticket.status in OPEN_STATUSES and ticket.merged_into_id is None


class MergeRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class IntakeView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "tickets.create_ticket"

    def get(self, request):
        return render(request, TEMPLATE, {"form": IntakeForm()})

    def warning(self, request, form, duplicates, status=200):
        may_merge = may_merge_new(request.user)
        context = {
            "form": form,
            "duplicates": duplicates,
            "may_merge": may_merge,
            "merge_targets": {t.pk for t in duplicates if may_merge and mergeable_into(t)},
        }
        return render(request, TEMPLATE, context, status=status)

    def post(self, request):
        form = IntakeForm(request.POST)
        if not form.is_valid():
            return render(request, TEMPLATE, {"form": form}, status=400)
        # "Take in and merge into this one": the warning's button for each possible duplicate
        merge_into = request.POST.get("merge_into", "")
        merge_into = int(merge_into) if merge_into.isdigit() and len(merge_into) < 19 else None
        try:
            with transaction.atomic():
                ticket = services.ticket_intake(
                    bureau=request.user.unit.bureau,
                    actor=request.user,
                    confirm_duplicate=form.cleaned_data["confirm_duplicate"] or merge_into is not None,
                    **form.service_kwargs(),
                )
                if merge_into is not None:
                    self.merge(request, ticket, merge_into)
        except services.PossibleDuplicates as found:
            return self.warning(request, form, found.tickets)
        except MergeRefused as refused:
            # the master closed or was merged meanwhile ...: nothing was taken in, the form keeps what was typed
            form.add_error(
                None,
                gettext("Nothing was taken in: the merge was refused (%(reason)s). Choose again below.")
                % {"reason": refused.reason},
            )
            return self.warning(request, form, self.duplicates_of(request, form), status=409)
        except ValidationError as error:
            apply_service_errors(form, error)
            return render(request, TEMPLATE, {"form": form}, status=400)
        number = ticket.external_id
        if merge_into is not None:
            messages.success(
                request,
                gettext("Work order %(number)s was created and merged: it follows its master.") % {"number": number},
            )
            return redirect("tickets:detail", pk=ticket.pk)
        messages.success(request, gettext("Work order %(number)s was created.") % {"number": number})
        if form.cleaned_data["confirm_duplicate"] and request.user.has_perm("tickets.merge_ticket", ticket):
            # taken in despite the warning: its page lists the possible duplicates with the merge at hand
            return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#duplicates")
        return redirect("tickets:detail", pk=ticket.pk)

    def merge(self, request, ticket: Ticket, into: int) -> None:
        """Inside the intake's transaction: a refusal undoes the intake too (MergeRefused)."""
        if not request.user.has_perm("tickets.merge_ticket", ticket):
            raise PermissionDenied
        try:
            services.ticket_merge(ticket, into=into, actor=request.user, note=gettext("Merged at intake."))
        except ValidationError as error:
            raise MergeRefused(" ".join(error.messages)) from error
        except StateConflict as error:
            raise MergeRefused(gettext("the work order cannot be merged into it now")) from error

    def duplicates_of(self, request, form) -> list[Ticket]:
        data = form.service_kwargs()
        complainant, respondent = data["complainant"], data["respondent"]
        return services.ticket_find_duplicates(
            bureau=request.user.unit.bureau,
            source=data["source"],
            external_id=data["external_id"],
            phone="".join(complainant.phone.split()),
            id_number=complainant.id_number.strip(),
            respondent_name=respondent.name.strip(),
            credit_code=respondent.credit_code.strip().upper(),
            content=data["content"],
            category=data["category"],
            received_at=data["received_at"],
        )
