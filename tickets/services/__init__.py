"""Every write to a work order. One entry point changes status: ticket_transition (core.py).

Split by concern: core, intake, handling, approvals, records; import from here."""

from tickets.services.approvals import (
    request_decide,
    ticket_pause_clocks,
    ticket_request_extension,
    ticket_request_return,
    ticket_resume_clocks,
)
from tickets.services.core import (
    TicketConflict,
    TransitionNotAllowed,
    event_write,
    events_write,
    ticket_lock,
    ticket_transition,
)
from tickets.services.handling import (
    TrackResult,
    ticket_accept,
    ticket_complete,
    ticket_dispatch,
    ticket_recall,
    ticket_record_acceptance,
    ticket_record_first_contact,
    ticket_record_reporter_notified,
    ticket_reopen,
    ticket_submit_reply,
)
from tickets.services.intake import (
    Party,
    business_for,
    next_manual_number,
    request_fingerprint,
    ticket_create,
    ticket_create_idempotent,
    ticket_find_duplicates,
    ticket_urge,
)
from tickets.services.records import (
    ALLOWED_ATTACHMENTS,
    MAX_ATTACHMENT_BYTES,
    PERSONAL_FIELDS,
    ticket_add_attachment,
    ticket_reveal_check,
    ticket_reveal_personal_data,
)

__all__ = [
    "TicketConflict",
    "TransitionNotAllowed",
    "ticket_transition",
    "event_write",
    "events_write",
    "ticket_lock",
    "Party",
    "request_fingerprint",
    "business_for",
    "next_manual_number",
    "ticket_create",
    "ticket_create_idempotent",
    "ticket_urge",
    "ticket_find_duplicates",
    "ticket_dispatch",
    "ticket_recall",
    "ticket_accept",
    "ticket_record_first_contact",
    "TrackResult",
    "ticket_submit_reply",
    "ticket_record_acceptance",
    "ticket_record_reporter_notified",
    "ticket_reopen",
    "ticket_complete",
    "ticket_request_extension",
    "ticket_request_return",
    "request_decide",
    "ticket_pause_clocks",
    "ticket_resume_clocks",
    "ticket_reveal_check",
    "ticket_reveal_personal_data",
    "ticket_add_attachment",
    "PERSONAL_FIELDS",
    "MAX_ATTACHMENT_BYTES",
    "ALLOWED_ATTACHMENTS",
]
