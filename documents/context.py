"""The named fields of a document, read from the work order (documents.choices lists them).

Always in Chinese (a bureau's documents are), whatever the reader's language. Privacy: a business copy and
every copy of a confidential work order leave the complainant's identity out: name, phone and address are
empty, and the free text (content, reply, notes) has the name replaced and phone and ID numbers masked.
"""

from __future__ import annotations

from django.utils import translation

from core.masking import mask_personal_numbers
from documents.choices import (
    COMPLAINT_CLOSING_BASIS,
    LEGAL_BASIS,
    REPORT_CLOSING_BASIS,
    TITLES,
    VERIFICATION_EXTENSION_BASIS,
    Copy,
    DocumentKind,
)
from org.selectors import unit_names_by_code
from reviews.models import Callback, Return
from tickets import timeline
from tickets.choices import Clock, Outcome, RequestKind, RequestStatus, Track
from tickets.masking import mask_phone
from tickets.models import Ticket, TicketEvent, TicketRequest
from workdays.calendar import SHANGHAI

CONFIDENTIAL_NAME = "投诉（举报）人"


def date_cn(moment) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日"


def datetime_cn(moment) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def identity_hidden(ticket: Ticket, copy: str) -> bool:
    return copy == Copy.BUSINESS or ticket.is_confidential


def scrub(text: str, ticket: Ticket, hidden: bool) -> str:
    """Free text with phone and ID numbers masked; with the identity hidden, the complainant's name replaced too."""
    text = text or ""
    if hidden:
        for value in (ticket.complainant_phone, ticket.complainant_id_number):
            if value and value.strip():
                text = text.replace(value.strip(), "****")
        name = (ticket.complainant_name or "").strip()
        if name:
            text = text.replace(name, CONFIDENTIAL_NAME)
    return mask_personal_numbers(text)


def _person(user) -> str:
    return user.display_name if user is not None else ""


def _tracks(ticket: Ticket, hidden: bool) -> list[dict]:
    tracks = getattr(ticket, "track_list", None)
    if tracks is None:
        tracks = list(ticket.tracks.all())
    return [
        {
            "code": track.track,
            "name": track.get_track_display(),
            "finding": track.get_finding_display(),
            "outcome": track.get_outcome_display(),
            "outcome_code": track.outcome,
            "grounds": scrub(track.grounds, ticket, hidden),
            "case_number": track.case_number,
        }
        for track in tracks
    ]


def _track(tracks: list[dict], code: str) -> dict:
    return next(
        (t for t in tracks if t["code"] == code), {"finding": "", "outcome": "", "grounds": "", "case_number": ""}
    )


def _last_event(ticket: Ticket, code: str) -> TicketEvent | None:
    return TicketEvent.objects.filter(ticket=ticket, code=code).order_by("-at", "-id").first()


def extension_request(ticket: Ticket, subject: str = "") -> TicketRequest | None:
    """The approved extension a form is about: the one named by the subject, else the latest approved."""
    approved = TicketRequest.objects.filter(
        ticket=ticket, kind=RequestKind.EXTENSION, status=RequestStatus.APPROVED
    ).select_related("requested_by", "decided_by")
    if subject.startswith("request:"):
        return approved.filter(pk=subject.split(":", 1)[1]).first()
    return approved.order_by("-decided_at", "-id").first()


def document_fields(
    ticket: Ticket, kind: str, *, copy: str = Copy.STANDARD, number: str = "", issued_at=None, subject: str = ""
) -> dict:
    """Every named field of this kind for this work order, as the template sees them."""
    with translation.override("zh-hans"):
        return _fields(ticket, kind, copy=copy, number=number, issued_at=issued_at, subject=subject)


def _fields(ticket: Ticket, kind: str, *, copy: str, number: str, issued_at, subject: str) -> dict:
    hidden = identity_hidden(ticket, copy)
    tracks = _tracks(ticket, hidden)
    fields = {
        "bureau_name": ticket.bureau.name,
        "document_title": TITLES[kind],
        "document_number": number,
        "issued_date": date_cn(issued_at),
        "legal_basis": LEGAL_BASIS.get(kind, ""),
        "work_order_number": ticket.external_id,
        "received_date": date_cn(ticket.received_at),
        "source": ticket.get_source_display(),
        "ticket_kind": ticket.get_kind_display(),
        "title": scrub(ticket.title, ticket, hidden),
        "content": scrub(ticket.content, ticket, hidden),
        "complainant_name": "" if hidden else ticket.complainant_name,
        "complainant_phone": "" if hidden else mask_phone(ticket.complainant_phone),
        "complainant_address": "" if hidden else ticket.complainant_address,
        "respondent_name": ticket.respondent_name or (ticket.business.name if ticket.business_id else ""),
        "respondent_credit_code": ticket.respondent_credit_code,
        "respondent_address": ticket.respondent_address,
        "unit_name": ticket.unit.name if ticket.unit_id else "",
        "handler_name": _person(ticket.handler) if ticket.handler_id else "",
    }
    if kind in (DocumentKind.ACCEPTANCE_NOTICE, DocumentKind.NOT_ACCEPTED_NOTICE):
        event = _last_event(ticket, "acceptance_decided")
        fields["decision_date"] = date_cn(event.at if event else issued_at)
        fields["decision_note"] = scrub((event.data or {}).get("note", "") if event else "", ticket, hidden)
    elif kind == DocumentKind.EXTENSION_APPROVAL:
        request = extension_request(ticket, subject)
        clock = ticket.clocks.filter(clock=request.clock).order_by("-due_at").first() if request else None
        fields.update(
            deadline=request.get_clock_display() if request else "",
            extension_days=str(request.working_days or "") if request else "",
            extension_reason=scrub(request.reason, ticket, hidden) if request else "",
            requested_by=_person(request.requested_by) if request else "",
            requested_date=date_cn(request.requested_at) if request else "",
            decided_by=_person(request.decided_by) if request else "",
            decided_date=date_cn(request.decided_at) if request else "",
            decision_note=scrub(request.decision_note, ticket, hidden) if request else "",
            new_due_date=date_cn(clock.due_at) if clock else "",
        )
        if request and request.clock == Clock.VERIFICATION:
            fields["legal_basis"] = VERIFICATION_EXTENSION_BASIS
    elif kind == DocumentKind.MEDIATION_TERMINATION:
        complaint = _track(tracks, Track.COMPLAINT)
        fields.update(
            finding=complaint["finding"],
            outcome=complaint["outcome"],
            grounds=complaint["grounds"],
            decision_date=date_cn(ticket.completed_at or issued_at),
        )
    elif kind == DocumentKind.REPORTER_NOTICE:
        report = _track(tracks, Track.REPORT)
        fields.update(
            filing_decision=report["outcome"],
            case_number=report["case_number"] if report.get("outcome_code") == Outcome.CASE_OPENED else "",
            grounds=report["grounds"],
            decision_date=date_cn(ticket.replied_at or issued_at),
        )
    if kind in (DocumentKind.CLOSING_OPINION, DocumentKind.ARCHIVE_SHEET):
        fields.update(
            reply_text=scrub(ticket.reply_text, ticket, hidden),
            tracks=tracks,
            completed_date=date_cn(ticket.completed_at),
        )
        if kind == DocumentKind.CLOSING_OPINION:
            codes = {t["code"] for t in tracks}
            fields["legal_basis"] = "；".join(
                basis
                for code, basis in ((Track.COMPLAINT, COMPLAINT_CLOSING_BASIS), (Track.REPORT, REPORT_CLOSING_BASIS))
                if code in codes
            )
    if kind == DocumentKind.ARCHIVE_SHEET:
        fields.update(_archive_lists(ticket, hidden))
        archived = _last_event(ticket, "archived")
        fields["archived_date"] = date_cn(archived.at if archived else None)
    return fields


def _archive_lists(ticket: Ticket, hidden: bool) -> dict:
    """The sheet's lists: every step with who and when, the returns, the callbacks, the documents issued."""
    from documents.models import Document

    unit_names = unit_names_by_code(ticket.bureau_id)
    events = TicketEvent.objects.filter(ticket=ticket, is_internal=False).select_related("actor").order_by("at", "id")
    steps = [
        {
            "at": datetime_cn(event.at),
            "by": _person(event.actor) or timeline.event_by(event),
            "what": timeline.event_label(event.code, ticket),
            "details": scrub("；".join(d for d in timeline.event_details(event, unit_names) if d), ticket, hidden),
        }
        for event in events
    ]
    returns = [
        {
            "at": datetime_cn(ret.at),
            "stage": ret.get_stage_display(),
            "by": _person(ret.actor),
            "unit": ret.unit.name,
            "reasons": "、".join(str(label) for label in ret.reason_labels()),
            "comment": scrub(ret.comment, ticket, hidden),
        }
        for ret in Return.objects.filter(ticket=ticket).select_related("actor", "unit").order_by("at", "id")
    ]
    callbacks = [
        {
            "at": datetime_cn(callback.called_at),
            "by": _person(callback.actor) or callback.get_source_display(),
            "resolved": callback.get_resolved_display(),
            "satisfaction": callback.get_satisfaction_display(),
            "comment": scrub(callback.comment, ticket, hidden),
        }
        for callback in Callback.objects.filter(ticket=ticket).select_related("actor").order_by("called_at", "id")
    ]
    documents = [
        {"title": doc.title, "number": doc.number, "version": doc.version, "date": date_cn(doc.created_at)}
        for doc in Document.objects.filter(ticket=ticket, copy=Copy.STANDARD)
        .exclude(kind=DocumentKind.ARCHIVE_SHEET)
        .order_by("created_at", "id")
    ]
    return {"steps": steps, "returns": returns, "callbacks": callbacks, "documents": documents}
