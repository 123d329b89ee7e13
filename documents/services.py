"""Every write of documents: a document issued (on a decision or on demand), a template uploaded.

A document is never changed: issuing a kind again for the same work order (and the same subject) writes a new
version with the number of the first, and the older versions stay readable.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import Action
from audit.services import audit_record
from documents import numbering, rendering
from documents.choices import BUSINESS_COPY_KINDS, COMMON_FIELDS, KIND_FIELDS, TITLES, Copy, DocumentKind
from documents.context import document_fields, extension_request
from documents.defaults import default_template
from documents.models import Document, DocumentTemplate
from documents.selectors import kind_refusal, template_current
from org.models import User
from tickets.models import Ticket
from tickets.services import event_write, ticket_lock
from workdays.calendar import SHANGHAI

logger = logging.getLogger(__name__)

# The decision a tickets service announces (tickets/signals.py) -> the documents it makes.
KINDS_BY_DECISION = {
    "complaint_accepted": [DocumentKind.ACCEPTANCE_NOTICE],
    "complaint_not_accepted": [DocumentKind.NOT_ACCEPTED_NOTICE],
    "extension_approved": [DocumentKind.EXTENSION_APPROVAL],
    "filing_decided": [DocumentKind.REPORTER_NOTICE],
    "completed": [DocumentKind.MEDIATION_TERMINATION, DocumentKind.CLOSING_OPINION],
    "archived": [DocumentKind.ARCHIVE_SHEET],
}


def documents_on_decision(ticket: Ticket, decision: str, *, actor: User | None, request=None) -> list[Document]:
    """The documents a decision makes: each kind of KINDS_BY_DECISION that applies to the work order now.

    Runs in the decision's transaction; a document that cannot be made is logged and left to be made on demand,
    in a savepoint of its own, so the decision stands (and no number is used: the counter rolls back too).
    """
    made = []
    subject = f"request:{request.pk}" if request is not None else ""
    for kind in KINDS_BY_DECISION.get(decision, []):
        if kind_refusal(ticket, kind, subject=subject):
            continue
        try:
            with transaction.atomic():
                made += document_issue(ticket, kind, actor=actor, decision=decision, subject=subject)
        except Exception:
            logger.exception("document %s of work order %s not made on %s", kind, ticket.pk, decision)
    return made


def document_issue(
    ticket: Ticket, kind: str, *, actor: User | None, decision: str = "", subject: str = ""
) -> list[Document]:
    """Issue a document of `kind`: the file copy and, for a kind that goes to the business, its business copy.

    Refused (ValidationError) when the kind does not apply to the work order in its state. The first issue takes
    the next number of the kind's year; a later one is a new version under the same number.
    """
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document.")})
    if kind == DocumentKind.EXTENSION_APPROVAL and not subject:
        request = extension_request(ticket)
        subject = f"request:{request.pk}" if request else ""
    refusal = kind_refusal(ticket, kind, subject=subject)
    if refusal:
        raise ValidationError({"kind": refusal})
    now = timezone.now()
    with transaction.atomic():
        ticket_lock(ticket)  # one issue of a work order's documents at a time: versions do not collide
        ticket = Ticket.objects.select_related("bureau", "unit", "handler", "business").get(pk=ticket.pk)
        first = Document.objects.filter(ticket=ticket, kind=kind, subject=subject, version=1).first()
        if first is not None:
            year, sequence, number = first.year, first.sequence, first.number
            version = (
                Document.objects.filter(ticket=ticket, kind=kind, subject=subject).aggregate(v=Max("version"))["v"] + 1
            )
        else:
            year = now.astimezone(SHANGHAI).year
            sequence, number = numbering.number_next(ticket.bureau_id, kind, year)
            version = 1
        template = template_current(ticket.bureau_id, kind)
        template_bytes = _template_bytes(template, kind)
        copies = [Copy.STANDARD, Copy.BUSINESS] if kind in BUSINESS_COPY_KINDS else [Copy.STANDARD]
        made = []
        for copy in copies:
            fields = document_fields(ticket, kind, copy=copy, number=number, issued_at=now, subject=subject)
            document = Document(
                bureau_id=ticket.bureau_id,
                ticket=ticket,
                kind=kind,
                copy=copy,
                subject=subject,
                year=year,
                sequence=sequence,
                number=number,
                version=version,
                template=template,
                decision=decision,
                created_by=actor,
                created_at=now,
            )
            document.file.save(f"{kind}.docx", ContentFile(rendering.render_docx(template_bytes, fields)), save=False)
            document.save()
            made.append(document)
        event_write(
            ticket,
            "document_issued",
            actor=actor,
            data={"document": kind, "document_title": TITLES[kind], "number": number, "version": version},
            at=now,
        )
    return made


def _template_bytes(template: DocumentTemplate | None, kind: str) -> bytes:
    if template is None:
        return default_template(kind)
    with template.file.open("rb") as handle:
        return handle.read()


# ---------------------------------------------------------------- templates

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def sample_fields(kind: str) -> dict:
    """Every field of the kind with a placeholder value (lists with one row), to try a template before keeping it."""
    fields = {name: f"〈{name}〉" for name in {**COMMON_FIELDS, **KIND_FIELDS.get(kind, {})}}
    row = {
        key: f"〈{key}〉"
        for key in (
            "at",
            "by",
            "what",
            "details",
            "stage",
            "unit",
            "reasons",
            "comment",
            "resolved",
            "satisfaction",
            "title",
            "number",
            "version",
            "date",
            "name",
            "finding",
            "outcome",
            "grounds",
            "case_number",
            "code",
        )
    }
    for name in ("tracks", "steps", "returns", "callbacks", "documents"):
        if name in fields:
            fields[name] = [row]
    return fields


def template_check(data: bytes, kind: str) -> list[str]:
    """The fields a .docx template uses, after checking them (rendering.template_fields) and filling it in once
    with placeholders: a template that would fail when a document is made is refused now (ValidationError)."""
    fields = rendering.template_fields(data, kind)
    try:
        rendering.render_docx(data, sample_fields(kind))
    except Exception as error:  # a tag that parses but fails when filled in (a wrong loop, a call)
        raise ValidationError(
            {"file": _("The template cannot be filled in: %(error)s") % {"error": str(error)[:200]}}
        ) from None
    return fields


def template_upload(*, bureau, kind: str, uploaded_file, actor: User | None, note: str = "") -> DocumentTemplate:
    """Keep a new version of the bureau's template of a kind, after checking its fields and trying it once."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document.")})
    if uploaded_file.size > MAX_TEMPLATE_BYTES:
        raise ValidationError({"file": _("A template may be at most 5 MB.")})
    data = uploaded_file.read()
    fields = template_check(data, kind)
    with transaction.atomic():
        last = (
            DocumentTemplate.objects.select_for_update()
            .filter(bureau=bureau, kind=kind)
            .aggregate(v=Max("version"))["v"]
        )
        template = DocumentTemplate(
            bureau=bureau,
            kind=kind,
            version=(last or 0) + 1,
            fields=fields,
            note=note,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        template.file.save(f"{kind}.docx", ContentFile(data), save=False)
        template.save()
    return template


def template_preview(template: DocumentTemplate | None, kind: str, ticket: Ticket, *, actor: User) -> bytes:
    """The template filled in with a chosen work order's facts, as the business copy (no identity), unnumbered.

    Nothing is issued or numbered; the preview is recorded as a document download."""
    ticket = Ticket.objects.select_related("bureau", "unit", "handler", "business").get(pk=ticket.pk)
    fields = document_fields(ticket, kind, copy=Copy.BUSINESS, number="（预览）", issued_at=timezone.now())
    data = rendering.render_docx(_template_bytes(template, kind), fields)
    audit_record(
        Action.DOCUMENT_DOWNLOADED,
        actor=actor,
        obj=ticket,
        data={"kind": kind, "preview": True, "template": template.pk if template else None},
    )
    return data
