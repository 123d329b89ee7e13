"""Codes of the work-order domain and the allowed-transition table. Imports nothing of ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    DISPATCHED = "dispatched", _("Dispatched")
    ACCEPTED = "accepted", pgettext_lazy("ticket status", "Signed for")
    IN_PROGRESS = "in_progress", _("In progress")
    UNIT_REVIEW = "unit_review", _("Unit review")
    SECTION_REVIEW = "section_review", _("Section review")
    COMPLETED = "completed", _("Completed")
    RETURNED_TO_PLATFORM = "returned_to_platform", _("Returned to the platform")
    REOPENED = "reopened", _("Reopened for redo")
    ARCHIVED = "archived", _("Archived")


# from-status -> the statuses a ticket may move to. Re-dispatch (dispatched -> dispatched with
# another unit) is a change of unit, not of status, and is allowed from the statuses in REDISPATCHABLE.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.DISPATCHED, Status.RETURNED_TO_PLATFORM}),
    Status.DISPATCHED: frozenset({Status.ACCEPTED, Status.RECEIVED, Status.RETURNED_TO_PLATFORM}),
    Status.ACCEPTED: frozenset({Status.IN_PROGRESS, Status.DISPATCHED, Status.RETURNED_TO_PLATFORM}),
    Status.IN_PROGRESS: frozenset({Status.UNIT_REVIEW, Status.DISPATCHED, Status.RETURNED_TO_PLATFORM}),
    Status.UNIT_REVIEW: frozenset({Status.SECTION_REVIEW, Status.IN_PROGRESS}),
    Status.SECTION_REVIEW: frozenset({Status.COMPLETED, Status.IN_PROGRESS}),
    Status.COMPLETED: frozenset({Status.REOPENED, Status.ARCHIVED}),
    Status.REOPENED: frozenset({Status.UNIT_REVIEW}),
    Status.RETURNED_TO_PLATFORM: frozenset({Status.ARCHIVED}),
    Status.ARCHIVED: frozenset(),
}
REDISPATCHABLE = frozenset({Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS})
OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.DISPATCHED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.UNIT_REVIEW,
        Status.SECTION_REVIEW,
        Status.REOPENED,
    }
)
# Statuses in which the unit's handler works the ticket (first contact, reply, pause, extension).
HANDLING_STATUSES = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED})


def transition_allowed(current: str, to: str) -> bool:
    return to in TRANSITIONS.get(current, frozenset())


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report")
    INQUIRY = "inquiry", _("Inquiry")
    SUGGESTION = "suggestion", _("Suggestion")
    COMPOSITE = "composite", _("Complaint and report")


class Source(models.TextChoices):
    HOTLINE_12345 = "12345", _("12345 citizen hotline")
    PLATFORM_12315 = "12315", _("12315 platform")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")


PLATFORM_SOURCES = frozenset({Source.HOTLINE_12345, Source.PLATFORM_12315})


class Tag(models.TextChoices):
    ADVERTISING = "advertising", _("Advertising")
    MASS = "mass", _("Mass")
    MAJOR = "major", _("Major or complex")
    PROFESSIONAL = "professional", _("Professional claimant")
    URGENT = "urgent", _("Urgent")


class Track(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint track")
    REPORT = "report", _("Report track")


def tracks_for_kind(kind: str) -> list[str]:
    if kind == Kind.COMPLAINT:
        return [Track.COMPLAINT]
    if kind == Kind.REPORT:
        return [Track.REPORT]
    if kind == Kind.COMPOSITE:
        return [Track.COMPLAINT, Track.REPORT]
    return []


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    MEDIATED = "mediated", _("Mediated successfully")
    MEDIATION_FAILED = "mediation_failed", _("Mediation failed")
    MEDIATION_TERMINATED = "mediation_terminated", _("Mediation terminated")
    CASE_OPENED = "case_opened", _("Case opened")
    NOT_OPENED = "not_opened", _("No case opened")
    ANSWERED = "answered", _("Answered")


OUTCOMES_BY_TRACK = {
    Track.COMPLAINT: frozenset(
        {
            Outcome.ACCEPTED,
            Outcome.NOT_ACCEPTED,
            Outcome.MEDIATED,
            Outcome.MEDIATION_FAILED,
            Outcome.MEDIATION_TERMINATED,
        }
    ),
    Track.REPORT: frozenset({Outcome.CASE_OPENED, Outcome.NOT_OPENED}),
}


class Clock(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    REPLY = "reply", _("Reply")
    ACCEPTANCE = "acceptance", _("Acceptance decision")
    MEDIATION = "mediation", _("Mediation")
    VERIFICATION = "verification", _("Verification and filing decision")
    REPORTER_NOTICE = "reporter_notice", _("Notify the reporter")
    ADVERTISING = "advertising", _("Advertising: handle and inform")
    REDO = "redo", _("Redo after callback")
    # an assisting unit's (协办) answer to the lead unit: one clock per assisting unit (TicketClock.unit)
    ASSIST = "assist", _("Assisting unit's answer")


class ClockStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")


class EscalationTier(models.IntegerChoices):
    REMINDER = 1, _("Reminder")
    URGING = 2, _("Urging")
    WARNING = 3, _("Warning")


class StartEvent(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ACCEPTANCE = "acceptance", _("Acceptance of the complaint")
    FILING_DECISION = "filing_decision", _("Filing decision")
    CALLBACK = "callback", _("Unsatisfied callback")
    ASSIST_REQUEST = "assist_request", _("Assistance requested")


class AssistStatus(models.TextChoices):
    """An assisting unit's (协办单位) part in a work order."""

    REQUESTED = "requested", _("Requested")
    DONE = "done", pgettext_lazy("assistance", "Answered")
    RELEASED = "released", _("Released")


class RequestKind(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    RETURN_TO_PLATFORM = "return_to_platform", _("Return to the platform")
    # Pausing a deadline that is already overdue: the section approves it (tickets.services.approvals).
    PAUSE = "pause", _("Pause of an overdue deadline")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ReturnReason(models.TextChoices):
    NOT_JURISDICTION = "not_jurisdiction", _("Not this bureau's jurisdiction")
    DUPLICATE = "duplicate", _("Duplicate of another work order")
    INSUFFICIENT_INFO = "insufficient_info", _("Not enough information to act on")
    OTHER = "other", _("Other")


class PauseReason(models.TextChoices):
    """Why the deadlines stop (the working days paused do not count): a choice, stored on the pause."""

    TESTING = "testing", _("Testing, inspection or appraisal")
    EXPERT = "expert", _("Commissioned appraisal or expert opinion")
    UNREACHABLE = "unreachable", _("Party missing or unreachable after attempts")
    ASSISTANCE = "assistance", _("Waiting for another department's assistance")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    OTHER = "other", pgettext_lazy("pause reason", "Other")


# The reasons that need the explanation written out (the attempts made; what the other reason is).
PAUSE_REASONS_EXPLAINED = frozenset({PauseReason.UNREACHABLE, PauseReason.OTHER})


class AttachmentPurpose(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    REPLY = "reply", _("Reply evidence")
    OBJECTION = "objection", _("Objection evidence")


class ObjectionReason(models.TextChoices):
    """Why a unit objects to a dispatch (派单异议, docs/dispatch.md)."""

    NOT_COMPETENT = "not_competent", _("Not our competence")
    WRONG_AREA = "wrong_area", _("Not our area")
    HANDLED_ELSEWHERE = "handled_elsewhere", _("Already handled by another unit")
    OTHER = "other", pgettext_lazy("objection reason", "Other")


class ObjectionDecision(models.TextChoices):
    UPHOLD = "uphold", _("Uphold and re-dispatch")
    REJECT = "reject", _("Reject: the unit keeps it")


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("objection status", "Pending")
    UPHELD = "upheld", _("Upheld: re-dispatched")
    REJECTED = "rejected", pgettext_lazy("objection status", "Rejected")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Undelivered")
    NOT_REQUIRED = "not_required", _("Not required")
