"""The documents' pages: issue one on demand, its printable page and its .docx, a month's archive."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View

from audit.choices import Action
from audit.services import audit_record
from core.downloads import file_download
from documents import selectors, services
from documents.archive import archive_zip
from documents.forms import MakeForm, MonthForm
from documents.rendering import docx_blocks
from tickets.selectors import ticket_get_for_user
from tickets.services import TicketConflict, TransitionNotAllowed

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _read(document) -> bytes:
    try:
        with document.file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise Http404 from None


def document_response(document):
    """The .docx as an attachment, recorded (the page and the staff API both answer this)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    _record(document, "docx")
    return file_download(handle, filename=document.file_name, content_type=DOCX)


def _record(document, form: str) -> None:
    audit_record(
        Action.DOCUMENT_DOWNLOADED,
        obj=document,
        data={"ticket": document.ticket_id, "kind": document.kind, "copy": document.copy, "format": form},
    )


class DocumentMakeView(LoginRequiredMixin, View):
    """POST: issue a document of the chosen kind now (a new version when the work order has one already)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        ticket = ticket_get_for_user(request.user, pk)
        if not request.user.has_perm("documents.make_document", ticket):
            raise PermissionDenied
        form = MakeForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Choose a document."))
        else:
            try:
                made = services.document_issue(ticket, form.cleaned_data["kind"], actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except (TicketConflict, TransitionNotAllowed):
                messages.error(request, gettext("This work order was changed meanwhile. Reload it."))
            else:
                messages.success(
                    request,
                    gettext("Issued: %(title)s %(number)s.") % {"title": made[0].title, "number": made[0].number},
                )
        return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#documents")


class DocumentPageView(LoginRequiredMixin, View):
    """The document as a printable page (the browser prints it); reading it is recorded like a download."""

    def get(self, request, pk: int, document_pk: int):
        document = selectors.document_get_for_user(request.user, pk, document_pk)
        blocks = docx_blocks(_read(document))
        _record(document, "html")
        return render(request, "documents/document.html", {"document": document, "blocks": blocks}, using="jinja2")


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int, document_pk: int):
        return document_response(selectors.document_get_for_user(request.user, pk, document_pk))


def _bureau_id(user) -> int:
    if not user.has_perm("documents.download_archive") or user.unit_id is None:
        raise PermissionDenied
    return user.unit.bureau_id


class ArchiveMonthView(LoginRequiredMixin, View):
    """The section's monthly archive: the work orders archived in a month, and the month as one .zip."""

    def get(self, request):
        bureau_id = _bureau_id(request.user)
        form = MonthForm(request.GET or None)
        tickets, month = [], None
        if form.is_bound and form.is_valid():
            month = form.cleaned_data["month"]
            tickets = selectors.archived_in_month(bureau_id, *month)
        status = 400 if form.is_bound and not form.is_valid() else 200
        return render(
            request,
            "documents/archive.html",
            {"form": form, "tickets": tickets, "month": month},
            using="jinja2",
            status=status,
        )


class ArchiveZipView(LoginRequiredMixin, View):
    def get(self, request, year: int, month: int):
        bureau_id = _bureau_id(request.user)
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise Http404
        tickets = selectors.archived_in_month(bureau_id, year, month)
        label = f"{year}-{month:02d}"
        handle = archive_zip(tickets, month_label=label)
        audit_record(
            Action.DATA_EXPORTED,
            data={"export": "document_archive", "month": label, "rows": len(tickets)},
        )
        return file_download(handle, filename=f"归档-{label}.zip", content_type="application/zip")
