"""One-button steps on a ticket: POST only, scoped selector -> permission -> form -> one service -> redirect."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from audit.choices import Action
from audit.services import audit_record
from core.downloads import file_download
from core.errors import StateConflict
from tickets import selectors, services
from tickets.forms import (
    AcceptanceForm,
    AssistDoneForm,
    AssistReleaseForm,
    AttachmentForm,
    DecideForm,
    DispatchForm,
    ExtensionForm,
    FirstContactForm,
    MergeForm,
    NoteForm,
    PauseForm,
    ReplyForm,
    ReporterNoticeForm,
    ReturnRequestForm,
    RevealForm,
    apply_service_errors,
)
from tickets.rules import assists_outstanding, step_moved_on, step_refusal
from tickets.services import TicketConflict, TransitionNotAllowed
from tickets.suggestions import suggestion_for
from tickets.views.detail import STEPS, render_detail


def conflict_message(error: Exception) -> str:
    if isinstance(error, TransitionNotAllowed):
        return gettext("This step is not possible in the work order's current status. Reload the page to see it.")
    return str(error.args[0]) if error.args else gettext("This work order was changed meanwhile. Reload it.")


def _posted_version(request, prefix: str | None) -> int | None:
    try:
        return int(request.POST.get(f"{prefix}-version" if prefix else "version", ""))
    except ValueError:
        return None


class TicketActionView(LoginRequiredMixin, View):
    """Base of the steps: subclasses name the check (`can` key), the form, and the one service with the form
    fields it takes; perform() calls it with the form's version as the expected one. A step whose service takes
    more than form fields overrides perform()."""

    http_method_names = ["post"]
    can_key = ""  # the step (tickets.views.detail.STEPS)
    form_key = ""
    form_class = None
    form_prefix = None
    success_message = ""
    service = None  # staticmethod(services.ticket_<step>): called with the ticket, actor, fields and version
    fields: tuple[str, ...] = ()

    def get_form(self, request, ticket):
        return self.form_class(
            request.POST, request.FILES or None, ticket=ticket, prefix=self.form_prefix, **self.form_kwargs(ticket)
        )

    def form_kwargs(self, ticket) -> dict:
        return {}

    def perform(self, request, ticket, form) -> None:
        data = form.cleaned_data
        self.service(
            ticket,
            actor=request.user,
            expected_version=data["version"],
            **{name: data[name] for name in self.fields},
        )

    def post(self, request, pk):
        ticket = selectors.ticket_detail_for_user(request.user, pk)  # another unit's ticket: 404
        step = STEPS[self.can_key]
        if not request.user.has_perm(step, ticket):
            refusal = step_refusal(request.user, step, ticket)
            if refusal:  # a rule that says why (the lead's reply while assisting units are outstanding)
                return render_detail(request, pk, status=409, conflict=refusal)
            if step_moved_on(request.user, step, ticket, _posted_version(request, self.form_prefix)):
                # A second click, or a colleague's change: the step may simply be done already. Say so and
                # show the ticket as it is now, rather than "forbidden".
                messages.error(request, gettext("This work order is no longer at this step. Reload it."))
                return redirect("tickets:detail", pk=pk)
            raise PermissionDenied
        form = self.get_form(request, ticket)
        if form.is_valid():
            try:
                self.perform(request, ticket, form)
            except ValidationError as error:
                apply_service_errors(form, error)
            except StateConflict as error:  # TicketConflict, TransitionNotAllowed, TicketMerged, an objection's,
                # assisting units outstanding (协办)
                return render_detail(request, pk, status=409, conflict=conflict_message(error))
            else:
                messages.success(request, self.success_message)
                return redirect("tickets:detail", pk=pk)
        return render_detail(request, pk, bound={self.form_key: form}, status=400)


class DispatchView(TicketActionView):
    can_key = form_key = "dispatch"
    form_class = DispatchForm
    success_message = _("The work order was sent to the unit.")
    service = staticmethod(services.ticket_dispatch)
    fields = ("unit", "kind", "category", "tags", "note", "assisting_units")

    def form_kwargs(self, ticket):
        return {"units": selectors.unit_choices_for_user(self.request.user)}

    def perform(self, request, ticket, form):
        data = form.cleaned_data
        services.ticket_dispatch(
            ticket,
            actor=request.user,
            expected_version=data["version"],
            suggestion=suggestion_for(ticket) if ticket.status == "received" else None,
            **{name: data[name] for name in self.fields},
        )


class MergeView(TicketActionView):
    can_key = form_key = "merge"
    form_class = MergeForm
    form_prefix = "merge"
    success_message = _("The work order was merged: it now follows its master.")
    service = staticmethod(services.ticket_merge)
    fields = ("into", "note")


class SplitView(TicketActionView):
    can_key = form_key = "split"
    form_class = NoteForm
    form_prefix = "split"
    success_message = _("The work order was split off: its own state and deadlines are back.")
    service = staticmethod(services.ticket_split)
    fields = ("note",)


class AssistDoneView(TicketActionView):
    """协办反馈: the assisting unit's findings and its "done" (the form's version is not checked: the lead unit's
    work on the ticket meanwhile does not make the assisting unit's findings stale)."""

    can_key = form_key = "assist_done"
    form_class = AssistDoneForm
    form_prefix = "assist"
    success_message = _("Your unit's findings were recorded and the lead unit told.")

    def perform(self, request, ticket, form):
        services.ticket_assist_done(ticket, actor=request.user, findings=form.cleaned_data["findings"])


class AssistReleaseView(TicketActionView):
    can_key = form_key = "assist_release"
    form_class = AssistReleaseForm
    form_prefix = "release"
    success_message = _("The assisting unit was released.")

    def form_kwargs(self, ticket):
        return {"assists": assists_outstanding(ticket)}

    def perform(self, request, ticket, form):
        data = form.cleaned_data
        services.ticket_assist_release(ticket, actor=request.user, unit=data["unit"], note=data["note"])


class RecallView(TicketActionView):
    can_key = form_key = "recall"
    form_class = NoteForm
    form_prefix = "recall"
    success_message = _("The work order was recalled to the inbox.")
    service = staticmethod(services.ticket_recall)
    fields = ("note",)


class ArchiveView(TicketActionView):
    can_key = form_key = "archive"
    form_class = NoteForm
    form_prefix = "archive"
    success_message = _("The work order was archived with its archive sheet.")
    service = staticmethod(services.ticket_archive)
    fields = ("note",)


class AcceptView(TicketActionView):
    can_key = form_key = "accept"
    form_class = NoteForm
    form_prefix = "accept"
    success_message = _("Signed for: you are now the handler.")
    service = staticmethod(services.ticket_accept)


class FirstContactView(TicketActionView):
    can_key = form_key = "first_contact"
    form_class = FirstContactForm
    form_prefix = "contact"
    success_message = _("First contact recorded.")
    service = staticmethod(services.ticket_record_first_contact)
    fields = ("contacted_at", "note")


class ReplyView(TicketActionView):
    can_key = form_key = "reply"
    form_class = ReplyForm
    success_message = _("The reply was submitted for the unit leader's check.")

    def perform(self, request, ticket, form):
        services.ticket_submit_reply(
            ticket,
            actor=request.user,
            reply_text=form.cleaned_data["reply_text"],
            results=form.results(),
            explanation=form.cleaned_data["explanation"],
            reply_line_alert=form.cleaned_data["reply_line_alert"],
            expected_version=form.cleaned_data["version"],
        )


class AcceptanceView(TicketActionView):
    can_key = form_key = "acceptance"
    form_class = AcceptanceForm
    form_prefix = "acceptance"
    success_message = _("The acceptance decision was recorded.")
    service = staticmethod(services.ticket_record_acceptance)
    fields = ("is_accepted", "note")


class ReporterNoticeView(TicketActionView):
    can_key = form_key = "reporter_notice"
    form_class = ReporterNoticeForm
    form_prefix = "reporter"
    success_message = _("Recorded: the reporter was told the filing decision.")
    service = staticmethod(services.ticket_record_reporter_notified)
    fields = ("note",)


class PauseView(TicketActionView):
    can_key = form_key = "pause"
    form_class = PauseForm
    form_prefix = "pause"
    success_message = _("The deadlines are paused.")
    service = staticmethod(services.ticket_pause_clocks)
    fields = ("reason_code", "reason")


class PauseRequestView(TicketActionView):
    """A deadline already overdue: the same form asks the section to approve the pause."""

    can_key = form_key = "pause_request"
    form_class = PauseForm
    form_prefix = "pause"
    success_message = _("A deadline is overdue: the pause was sent to the section for approval.")
    service = staticmethod(services.ticket_request_pause)
    fields = ("reason_code", "reason")


class ResumeView(TicketActionView):
    can_key = form_key = "resume"
    form_class = NoteForm
    form_prefix = "resume"
    success_message = _("The deadlines run again; the paused working days were added.")
    service = staticmethod(services.ticket_resume_clocks)
    fields = ("note",)


class ExtensionRequestView(TicketActionView):
    can_key = form_key = "extension"
    form_class = ExtensionForm
    form_prefix = "extension"
    success_message = _("The extension request was sent for approval.")
    service = staticmethod(services.ticket_request_extension)
    fields = ("clock", "working_days", "reason")


class ReturnRequestView(TicketActionView):
    can_key = form_key = "return_request"
    form_class = ReturnRequestForm
    form_prefix = "return"
    success_message = _("The request to return the work order to the platform was sent for approval.")
    service = staticmethod(services.ticket_request_return)
    fields = ("reason_code", "reason")


class AttachmentUploadView(TicketActionView):
    can_key = form_key = "upload"
    form_class = AttachmentForm
    form_prefix = "upload"
    success_message = _("The file was attached.")

    def perform(self, request, ticket, form):
        # The form's version is deliberately not checked: a file adds evidence and conflicts with no change a
        # colleague made meanwhile (a re-classification does not make a photo wrong), and refusing it would lose
        # the upload. Whether the user may still attach is decided above on the ticket as it is now, not as the
        # page showed it.
        services.ticket_add_attachment(
            ticket, actor=request.user, uploaded_file=form.cleaned_data["file"], purpose=form.cleaned_data["purpose"]
        )


class RevealView(LoginRequiredMixin, View):
    """Show one personal field unmasked on this response only; the service writes the audit event."""

    http_method_names = ["post"]

    def post(self, request, pk):
        ticket = selectors.ticket_get_for_user(request.user, pk)
        services.ticket_reveal_check(ticket, actor=request.user)
        form = RevealForm(request.POST)
        if not form.is_valid():
            return render_detail(request, pk, status=400)
        field = form.cleaned_data["field"]
        value = services.ticket_reveal_personal_data(ticket, actor=request.user, field=field)
        response = render_detail(request, pk, revealed={field: value})
        response["Cache-Control"] = "no-store"
        return response


class RequestDecideView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        approval = selectors.request_get_for_user(request.user, pk)
        if not request.user.has_perm("tickets.decide_request", approval.ticket):
            raise PermissionDenied
        form = DecideForm(request.POST)
        back = redirect("tickets:requests") if request.POST.get("back") == "list" else None
        back = back or redirect("tickets:detail", pk=approval.ticket_id)
        if not form.is_valid():
            messages.error(request, gettext("Choose approve or reject."))
            return back
        try:
            services.request_decide(
                approval,
                actor=request.user,
                is_approved=form.cleaned_data["is_approved"],
                note=form.cleaned_data["note"],
            )
        except (TicketConflict, TransitionNotAllowed) as error:
            messages.error(request, conflict_message(error))
            return back
        if form.cleaned_data["is_approved"]:
            messages.success(request, gettext("The request was approved."))
        else:
            messages.success(request, gettext("The request was rejected."))
        return back


class AttachmentDownloadView(LoginRequiredMixin, View):
    """Files are streamed after the permission check, never from a public URL."""

    def get(self, request, pk, attachment_pk):
        return attachment_response(selectors.attachment_get_for_user(request.user, pk, attachment_pk))


def attachment_response(attachment) -> FileResponse:
    """The file streamed as a download, never cached (the screens and the staff API both answer this)."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(Action.ATTACHMENT_DOWNLOADED, obj=attachment, data={"ticket": attachment.ticket_id})
    return file_download(handle, filename=attachment.original_name, content_type=attachment.content_type)
