"""The timeline's wording: event codes are stored, labels are chosen here when a page is shown."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tickets.choices import (
    PLATFORM_SOURCES,
    Clock,
    Finding,
    Kind,
    ObjectionReason,
    Outcome,
    PauseReason,
    RequestKind,
    ReturnReason,
    Status,
    Track,
)

# The one place that turns a stored event code into words. Unknown codes show as they are.
EVENT_LABELS = {
    "received": _("Received"),
    "dispatched": _("Dispatched"),
    "redispatched": _("Re-dispatched"),
    "recalled": _("Recalled by the dispatcher"),
    "accepted": _("Signed for"),
    "first_contact": _("First contact with the citizen"),
    "reply_submitted": _("Reply submitted"),
    "acceptance_decided": _("Acceptance decision recorded"),
    "reporter_notified": _("Reporter notified"),
    "extension_requested": _("Extension requested"),
    "extension_approved": _("Extension approved"),
    "extension_rejected": _("Extension rejected"),
    "return_to_platform_requested": _("Return to the platform requested"),
    "returned_to_platform": _("Returned to the platform"),
    "return_rejected": _("Return to the platform rejected"),
    "clocks_paused": _("Deadlines paused"),
    "pause_requested": _("Pause of an overdue deadline requested"),
    "pause_approved": _("Pause approved by the section"),
    "pause_rejected": _("Pause rejected by the section"),
    "clocks_resumed": _("Deadlines resumed"),
    "reopened": _("Reopened for redo"),
    "completed": _("Completed: reply sent to the platform"),
    "attachment_added": _("Attachment added"),
    "personal_data_revealed": _("Personal data shown"),
    "unit_approved": _("Approved by the unit leader"),
    "unit_returned": _("Returned for redo by the unit leader"),
    "section_approved": _("Approved by the section"),
    "section_returned": _("Returned for redo by the section"),
    "archived": _("Archived"),
    # Written by documents (data: document_title, number, version).
    "document_issued": _("Document issued"),
    # Written by reviews and the platform API; their codes are listed here so the timeline never shows a raw code.
    "callback": _("Callback recorded"),
    "callback_not_reached": _("Callback: citizen not reached"),
    "urged": _("Urged by the platform"),
    "supervision_updated": _("Special supervision updated"),
    # Merging duplicates (docs/duplicates.md)
    "merged": _("Merged into another work order"),
    "merged_in": _("A duplicate work order was merged into this one"),
    "master_moved": _("Status taken from the master work order"),
    "split": _("Split off from the master work order"),
    "split_off": _("A merged work order was split off"),
    # Dispatch objections (docs/dispatch.md; data: objection, unit, reason_code, text / reason, new_unit)
    "objection_raised": _("Objection to the dispatch raised"),
    "objection_upheld": _("Objection upheld: re-dispatched"),
    "objection_rejected": _("Objection rejected: the unit keeps the work order"),
    # Lead and assisting units (协办, docs/dispatch.md; data: assisting_unit, due_at, findings, note)
    "assist_requested": _("Assisting unit asked to assist"),
    "assist_done": _("Assisting unit answered"),
    "assist_released": _("Assisting unit released"),
    # Written by alerts (a cluster alert's consultation, data: alert_id, alert_kind, reply_line).
    "alert_consulted": _("Cluster alert consulted: unified reply line"),
}

# Why an assisting unit was released without the dispatcher's own release (tickets.services.assisting).
RELEASED_WITH = {
    "redispatched": _("with the re-dispatch to another lead unit"),
    "recalled": _("with the recall of the dispatch"),
    "returned_to_platform": _("with the return of the work order to the platform"),
}

# Callback results as reviews stores them (tickets does not import reviews: the words are repeated here).
CALLBACK_RESOLVED = {
    "resolved": _("Resolved"),
    "partly": _("Partly resolved"),
    "unresolved": _("Not resolved"),
}
CALLBACK_SATISFACTION = {
    "satisfied": _("Satisfied"),
    "basically_satisfied": _("Basically satisfied"),
    "unsatisfied": _("Unsatisfied"),
}
# Reasons of a return for redo (退回重办) as reviews stores them (reviews.choices.ReturnReasonCode; a reviews test
# keeps the two alike). The timeline, the redo banner and the notification say them in words.
REDO_REASONS = {
    "grounds_insufficient": _("Grounds for 'not substantiated' insufficient"),
    "facts_unclear": _("Facts unclear"),
    "evidence_missing": _("Evidence missing"),
    "wrong_classification": _("Wrong classification"),
    "reply_substandard": _("Reply not up to standard"),
    "other": pgettext_lazy("return reason", "Other"),
}
REDO_EVENTS = ("unit_returned", "section_returned")

# Machine reasons of a reopen; a person's free-text reason shows as written.
REOPEN_REASONS = {
    "unsatisfied": _("Unsatisfied callback"),
    "callback_unsatisfied": _("Unsatisfied callback"),
}

PERSONAL_FIELD_LABELS = {
    "name": pgettext_lazy("person", "name"),
    "phone": _("phone"),
    "id_number": _("ID number"),
    "address": _("address"),
}


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, value))


# A work order taken in by phone, at the counter or by letter never went through a platform: its completion
# is not "sent to the platform".
OWN_INTAKE_LABELS = {"completed": _("Completed: reply given to the citizen")}


def event_label(code: str, ticket=None) -> str:
    if ticket is not None and code in OWN_INTAKE_LABELS and ticket.source not in PLATFORM_SOURCES:
        return str(OWN_INTAKE_LABELS[code])
    return str(EVENT_LABELS.get(code, code))


def redo_reason_labels(codes) -> list[str]:
    """The words of a return's reason codes, in the order given (an unknown code shows as it is)."""
    return [str(REDO_REASONS.get(code, code)) for code in codes or []]


def redo_open(ticket, events) -> dict | None:
    """The return for redo the handler is working on, for the top of the ticket page: the latest return when no
    reply was submitted after it and the ticket is back with the handler; None otherwise. `events` oldest first."""
    if ticket.status not in ("in_progress", "reopened"):
        return None
    for event in reversed(events):
        if event.code == "reply_submitted":
            return None
        if event.code in REDO_EVENTS:
            data = event.data or {}
            return {
                "event": event,
                "label": event_label(event.code),
                "reasons": redo_reason_labels(data.get("reasons")),
                "comment": str(data.get("comment") or ""),
            }
    return None


def _due_label(value: str) -> str:
    import datetime as dt

    from core.jinja2 import local_time_label

    try:
        return local_time_label(dt.datetime.fromisoformat(str(value)), "Y-m-d H:i")
    except ValueError:
        return str(value)


def event_by(event) -> str:
    """Who did it when no staff member did: the platform's urging names its sender (e.g. 市热线办)."""
    if event.actor_id is None and event.code == "urged":
        return str((event.data or {}).get("by") or "")
    return ""


def event_details(event, unit_names: dict[str, str] | None = None) -> list[str]:
    """Short translated facts from the event's data, in a stable order; free text last.

    Events store unit codes; `unit_names` (code -> name, one query for the page) turns them into names.
    """
    data = event.data or {}
    names = unit_names or {}
    details = []
    if data.get("from_unit"):
        details.append(_("from %(unit)s") % {"unit": names.get(data["from_unit"], data["from_unit"])})
    if data.get("unit"):
        details.append(_("to %(unit)s") % {"unit": names.get(data["unit"], data["unit"])})
    if data.get("assisting_unit"):
        details.append(str(names.get(data["assisting_unit"], data["assisting_unit"])))
    if event.code == "assist_released" and data.get("released_with") in RELEASED_WITH:
        details.append(str(RELEASED_WITH[data["released_with"]]))
    if event.code == "assist_requested" and data.get("due_at"):
        details.append(_("answer due %(due)s") % {"due": _due_label(data["due_at"])})
    if data.get("kind"):
        details.append(_choice(Kind.choices, data["kind"]))
    if data.get("category"):
        from tickets.selectors import category_name

        details.append(category_name(data["category"]))  # its name, never the code ("prepaid")
    if data.get("clock"):
        details.append(_choice(Clock.choices, data["clock"]))
    if data.get("working_days"):
        details.append(_("%(days)s working days") % {"days": data["working_days"]})
    if data.get("paused_working_days"):
        details.append(_("paused %(days)s working days") % {"days": data["paused_working_days"]})
    if "accepted" in data:
        details.append(str(Outcome.ACCEPTED.label if data["accepted"] else Outcome.NOT_ACCEPTED.label))
    if data.get("reason_code"):
        reasons = PauseReason.choices if event.code == "pause_requested" else ReturnReason.choices
        details.append(_choice(reasons, data["reason_code"]))
    if data.get("pause_reason"):
        details.append(_choice(PauseReason.choices, data["pause_reason"]))
    if data.get("requested_by"):
        details.append(_("requested by %(name)s") % {"name": data["requested_by"]})
    if data.get("objecting_unit"):  # dispatch objections (docs/dispatch.md)
        unit = names.get(data["objecting_unit"], data["objecting_unit"])
        details.append(_("objection of %(unit)s") % {"unit": unit})
    if data.get("objection_reason"):
        details.append(_choice(ObjectionReason.choices, data["objection_reason"]))
    if data.get("new_unit"):
        details.append(_("to %(unit)s") % {"unit": names.get(data["new_unit"], data["new_unit"])})
    if event.code == "personal_data_revealed" and data.get("field"):
        details.append(str(PERSONAL_FIELD_LABELS.get(data["field"], data["field"])))
    for track, result in (data.get("tracks") or {}).items():
        details.append(
            f"{_choice(Track.choices, track)}: {_choice(Finding.choices, result.get('finding'))}"
            f" / {_choice(Outcome.choices, result.get('outcome'))}"
        )
    if event.code == "reply_submitted" and data.get("reply_line_alert"):
        line_used = _("started from the unified reply line of cluster alert %(alert)s")
        details.append(str(line_used) % {"alert": data["reply_line_alert"]})
    if data.get("name"):
        details.append(data["name"])
    if event.code == "document_issued":
        details.append(str(data.get("document_title", "")))
        details.append(str(data.get("number", "")))
        if (data.get("version") or 1) > 1:
            details.append(_("version %(version)s") % {"version": data["version"]})
    for key in ("master", "ticket"):  # merges: the other work order's number
        if event.code in ("merged", "merged_in", "master_moved", "split", "split_off") and data.get(key):
            details.append(str(data[key]))
    if event.code == "master_moved" and data.get("status"):
        details.append(_choice(Status.choices, data["status"]))
    if data.get("request_kind"):
        details.append(_choice(RequestKind.choices, data["request_kind"]))
    if event.code == "callback":
        if data.get("resolved") in CALLBACK_RESOLVED:
            details.append(CALLBACK_RESOLVED[data["resolved"]])
        if data.get("satisfaction") in CALLBACK_SATISFACTION:
            details.append(CALLBACK_SATISFACTION[data["satisfaction"]])
    if event.code in REDO_EVENTS and data.get("reasons"):
        # one fact per reason, so that two reasons never run together
        details.extend(redo_reason_labels(data["reasons"]))
    if event.code == "reopened" and data.get("reason") in REOPEN_REASONS:
        details.append(REOPEN_REASONS[data["reason"]])
    elif data.get("reason"):
        details.append(str(data["reason"]))
    # Free text last: a note, an approval's or a return's comment, the citizen's words at a callback.
    for key in ("findings", "note", "explanation", "comment", "message", "reply_line"):
        if data.get(key):
            details.append(str(data[key]))
    return [str(d) for d in details]
