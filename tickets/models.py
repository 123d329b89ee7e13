import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, Unit
from tickets.choices import (
    OPEN_STATUSES,
    AssistStatus,
    AttachmentPurpose,
    Clock,
    ClockStatus,
    DeliveryStatus,
    EscalationTier,
    Finding,
    Kind,
    ObjectionReason,
    ObjectionStatus,
    Outcome,
    PauseReason,
    RequestKind,
    RequestStatus,
    ReturnReason,
    Source,
    StartEvent,
    Status,
    Tag,
    Track,
)


class Category(models.Model):
    """The classification tree (食品, 教育培训, 广告, 价格, 产品质量, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Business(models.Model):
    """A respondent business. Tickets point here so that clusters and 'most complained about' count right."""

    name = models.CharField(_("name"), max_length=200)
    # tickets.names.business_name_key(name), kept by save(): intake matches a name without a credit code by it
    name_key = models.CharField(_("normalised name"), max_length=200, blank=True, editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    ticket_count = models.PositiveIntegerField(_("work orders"), default=0)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="business_credit_code_unique"
            )
        ]
        indexes = [
            # serves: intake matching a respondent by its normalised name (tickets.services.intake.business_for)
            models.Index(fields=["name_key"], name="business_name_key_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from tickets.names import business_name_key

        self.name_key = business_name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class Ticket(models.Model):
    """A work order. Its status changes only through tickets.services.ticket_transition."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("bureau"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    external_id = models.CharField(_("work order number"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    content = models.TextField(_("content"), max_length=20000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("category")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    is_advertising = models.BooleanField(_("advertising"), default=False)
    is_urgent = models.BooleanField(_("urgent"), default=False)

    complainant_name = models.CharField(_("complainant"), max_length=100, blank=True)
    complainant_phone = models.CharField(_("phone"), max_length=32, blank=True)
    complainant_id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    complainant_address = models.CharField(_("address"), max_length=300, blank=True)
    complainant_is_real_name = models.BooleanField(_("real name"), default=False)
    is_confidential = models.BooleanField(_("confidentiality requested"), default=False)
    may_publish = models.BooleanField(_("result may be made public"), default=False)

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("business")
    )
    respondent_name = models.CharField(_("respondent"), max_length=200, blank=True)
    respondent_credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    respondent_address = models.CharField(_("respondent address"), max_length=300, blank=True)

    location_address = models.CharField(_("location"), max_length=300, blank=True)
    location_lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    received_at = models.DateTimeField(_("received at"))
    reply_due_working_days = models.PositiveSmallIntegerField(_("reply due in working days"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("reply due at"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name=_("unit")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_tickets",
        verbose_name=_("handler"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("reply submitted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Denormalised: the due time of the nearest open clock, kept by tickets.deadlines whenever a clock
    # opens, is met, cancelled, moved, paused or resumed. Lists sort and show it without aggregating
    # the clocks of every ticket in scope (at a million tickets that aggregate took seconds).
    next_clock_due_at = models.DateTimeField(_("nearest open deadline"), null=True, blank=True, editable=False)

    # Denormalised: the dispatch suggestion (派单建议) as worked out at intake, and again by
    # tickets.services.suggestions_keep when the catalogue changes, in the suggester's own form (with the key of
    # what it was worked out from: a kept one that no longer matches the work order or the catalogue is not used).
    # The inbox reads it with its page instead of asking the catalogue and the similar past work orders again.
    dispatch_suggestion = models.JSONField(_("dispatch suggestion"), null=True, blank=True, editable=False)

    reply_text = models.TextField(_("reply"), blank=True, max_length=20000)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged", verbose_name=_("merged into")
    )
    return_count = models.PositiveIntegerField(_("returns for redo"), default=0)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="ticket_source_external_id_unique"),
        ]
        indexes = [
            # serves: a unit's queue and "my work", newest first, filtered by status
            models.Index(fields=["unit", "status", "-received_at"], name="ticket_unit_status_idx"),
            # serves: the dispatcher's inbox (status=received) and the bureau-wide list, newest first
            models.Index(fields=["bureau", "status", "-received_at"], name="ticket_bureau_status_idx"),
            # serves: bureau-wide lists ordered by receipt; and, read alone (index-only), the counts by receipt of the
            # reports (reports.selectors: work orders received by unit, the top businesses, the hotspots by business
            # and category), which count `received_at` rather than the id for that (a year and the year before at
            # 1,000,000 work orders: the top businesses 0.93 -> 0.61 s, the annual sections 1.27 -> 0.93 s)
            models.Index(
                fields=["bureau", "-received_at", "business", "category", "unit"], name="ticket_bureau_received_idx"
            ),
            # serves: a handler's own tickets
            models.Index(fields=["handler", "status"], name="ticket_handler_status_idx"),
            # serves: the duplicate warning (same complainant phone within 30 days)
            models.Index(fields=["complainant_phone", "received_at"], name="ticket_phone_received_idx"),
            # serve: duplicate proposals (tickets.duplicates): the same ID number, or the same business, in a window
            models.Index(
                fields=["complainant_id_number", "received_at"],
                condition=~Q(complainant_id_number=""),
                name="ticket_id_number_received_idx",
            ),
            models.Index(
                fields=["business", "received_at"],
                condition=Q(business__isnull=False),
                name="ticket_business_received_idx",
            ),
            # serves: the unit queue, nearest open deadline first (tickets.selectors.ticket_unit_queue)
            models.Index(fields=["unit", "next_clock_due_at", "id"], name="ticket_unit_next_due_idx"),
            # serves: "overdue" counts and lists (reviews dashboard): tickets whose nearest open deadline has passed
            models.Index(
                fields=["bureau", "next_clock_due_at"],
                condition=Q(next_clock_due_at__isnull=False),
                name="ticket_next_due_idx",
            ),
            # serves: "ticket IN (the bureau's tickets)" of the bureau-wide scoped reads (review dashboard
            # counts of returns, callbacks, supervisions, callback tasks): an index-only scan and a merge
            # join instead of a sequential scan of the whole (wide) ticket table; with the unit, the same for the
            # reports' aggregates that take a work order's unit (reports.selectors.counting: clocks, replies,
            # tracks, callbacks, overdue lags hash the bureau's work orders by id: 1,000,000 read from this index,
            # 85 ms, instead of the table, 350 ms)
            models.Index(fields=["bureau", "id", "unit"], name="ticket_bureau_id_idx"),
            # serve: "my work" in its order, read from indexes alone (tickets.selectors.ticket_my_work_ids):
            # a handler's open tickets of the unit, and a unit's tickets waiting to be signed for (with their
            # handler, to leave out the handler's own), nearest deadline first
            models.Index(
                fields=["handler", "unit", "next_clock_due_at", "id"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="ticket_handler_open_due_idx",
            ),
            models.Index(
                fields=["unit", "next_clock_due_at", "id", "handler"],
                condition=Q(status=Status.DISPATCHED),
                name="ticket_unit_dispatched_idx",
            ),
            # serve: the monthly briefing's on-time sign-off (work orders by month of dispatch) and its
            # substantiation and complaint-to-case figures (by month of completion), reports.selectors
            models.Index(
                fields=["bureau", "dispatched_at"],
                condition=Q(dispatched_at__isnull=False),
                name="ticket_bureau_dispatched_idx",
            ),
            models.Index(
                fields=["bureau", "completed_at"],
                condition=Q(completed_at__isnull=False),
                name="ticket_bureau_completed_idx",
            ),
            # serves: the staff API's ticket list filtered by status, newest first (its cursor is the id)
            models.Index(fields=["bureau", "status", "-id"], name="ticket_bureau_status_id_idx"),
            # serves: the review dashboard's and the pending-reviews page's list, longest waiting first
            models.Index(
                fields=["bureau", "updated_at", "id"],
                condition=Q(status__in=[Status.UNIT_REVIEW, Status.SECTION_REVIEW]),
                name="ticket_bureau_in_review_idx",
            ),
        ]

    def __str__(self):
        return f"{self.external_id} {self.title}".strip()

    @property
    def tracks_expected(self) -> list[str]:
        from tickets.choices import tracks_for_kind

        return tracks_for_kind(self.kind)

    @property
    def is_open(self) -> bool:
        from tickets.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES

    def tag_labels(self) -> list[str]:
        labels = dict(Tag.choices)
        return [str(labels.get(tag, tag)) for tag in self.tags]


class TicketTrack(models.Model):
    """One legal track of a ticket: a complaint and a report are handled separately (composite: both)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("work order"))
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    grounds = models.TextField(_("grounds"), blank=True, max_length=10000)
    case_number = models.CharField(_("case number"), max_length=64, blank=True)
    is_violation_suspected = models.BooleanField(_("illegal act suspected"), null=True, blank=True)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [models.UniqueConstraint(fields=["ticket", "track"], name="track_once_per_ticket")]
        ordering = ["ticket_id", "track"]

    def __str__(self):
        return self.get_track_display()


class DeadlineRule(models.Model):
    """A deadline rule is data: chosen by the ticket's receipt date (the latest effective_from on or before it)."""

    clock = models.CharField(_("clock"), max_length=24, choices=Clock.choices)
    kind = models.CharField(_("applies to kind"), max_length=16, choices=Kind.choices, blank=True)
    tag = models.CharField(_("applies to tag"), max_length=16, choices=Tag.choices, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    start_event = models.CharField(_("counted from"), max_length=24, choices=StartEvent.choices)
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["clock", "kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock", "kind", "tag", "effective_from"], name="deadline_rule_unique_version"
            )
        ]

    def __str__(self):
        scope = self.get_kind_display() or self.get_tag_display() or _("all")
        return f"{self.get_clock_display()} · {scope} · {self.working_days}"


class TicketClock(models.Model):
    """One running deadline of a ticket, stored as a due time so that the escalation sweep can index it."""

    # No index of its own: clock_ticket_idx (ticket, clock) serves every lookup by ticket, and one index
    # fewer is one write fewer for each clock the escalation sweep advances.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="clocks", verbose_name=_("work order"), db_index=False
    )
    clock = models.CharField(_("clock"), max_length=24, choices=Clock.choices)
    # No index: nothing looks clocks up by rule but the refusal to delete a rule in use (an administrator's
    # rare act, then a scan), while each clock the escalation sweep advances would write an entry to it.
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # An assisting unit's clock (协办, Clock.ASSIST): the unit it runs for, whose people the escalation sweep
    # reminds. Null: the lead unit's clock (the ticket's unit). Not in Ticket.next_clock_due_at (the lead's
    # nearest deadline). No index: read with its ticket, or by the sweep through its own index.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("assisting unit"),
    )
    working_days = models.PositiveSmallIntegerField(_("working days"))
    starts_at = models.DateTimeField(_("starts at"))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=16, choices=ClockStatus.choices, default=ClockStatus.OPEN)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    extended_working_days = models.PositiveSmallIntegerField(_("extended by working days"), default=0)
    paused_working_days = models.PositiveSmallIntegerField(_("paused working days"), default=0)
    # Why the clock is (or was last) paused: a reason from the list and its explanation.
    pause_reason = models.CharField(_("pause reason"), max_length=24, choices=PauseReason.choices, blank=True)
    pause_note = models.TextField(_("pause explanation"), max_length=2000, blank=True)
    calendar_warning = models.CharField(max_length=120, blank=True)
    # When the escalation sweep must next look at this clock (the start of the next tier), and the
    # highest tier reached so far; kept right by tickets.deadlines whenever due_at or status moves.
    next_escalation_at = models.DateTimeField(_("next reminder at"), null=True, blank=True)
    escalation_tier = models.PositiveSmallIntegerField(_("reminder tier reached"), default=0)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "id"]
        indexes = [
            # serves: the escalation sweep and "due soon" lists: open clocks by due time
            models.Index(fields=["due_at"], condition=Q(status="open"), name="clock_open_due_idx"),
            models.Index(fields=["ticket", "clock"], name="clock_ticket_idx"),
            # serves: the monthly briefing's first-contact, on-time completion and overdue figures: every
            # clock (met, open or late) that fell due in a month (reports.selectors)
            models.Index(fields=["due_at"], name="clock_due_idx"),
            # serves: tickets.escalation.escalation_sweep, "open clocks whose next tier has started"
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(status="open", next_escalation_at__isnull=False),
                name="clock_escalation_sweep_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_clock_display()} {self.due_at:%Y-%m-%d}"


class TicketAssist(models.Model):
    """An assisting unit (协办单位) named on a dispatch: it sees this work order, records its findings and answers
    "done", or the dispatcher releases it; the lead unit's reply goes to review only when none is still requested.
    Its deadline is its own clock (`clock`, Clock.ASSIST), reminded by the escalation sweep like any other."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="assists", verbose_name=_("work order"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("assisting unit"))
    status = models.CharField(_("status"), max_length=16, choices=AssistStatus.choices, default=AssistStatus.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    due_at = models.DateTimeField(_("due at"))
    clock = models.OneToOneField(
        TicketClock, on_delete=models.SET_NULL, null=True, blank=True, related_name="assist", verbose_name=_("deadline")
    )
    findings = models.TextField(_("findings"), blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_note = models.TextField(_("reason for the release"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("assisting unit")
        verbose_name_plural = _("assisting units")
        ordering = ["requested_at", "id"]
        constraints = [
            # a unit assists a work order once at a time (it may be asked again after it answered or was released)
            models.UniqueConstraint(
                fields=["ticket", "unit"], condition=Q(status="requested"), name="assist_one_requested_per_unit"
            ),
        ]
        indexes = [
            # serves: the assisting unit's queue (its requested assists, nearest due first) and the check that a
            # unit assists a work order (tickets.selectors)
            models.Index(fields=["unit", "status", "due_at", "ticket"], name="assist_unit_queue_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id} / {self.unit_id} ({self.status})"


class TicketEvent(models.Model):
    """The timeline and audit log: a code and its data, translated only when shown."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("work order"))
    code = models.CharField(_("event"), max_length=40)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    # Audit-only events (revealing personal data) stay off the platform's timeline.
    is_internal = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["ticket", "at"], name="event_ticket_at_idx"),
            # serves: the dispatch catalogue's figures (first dispatches by month: suggestions taken or not)
            models.Index(fields=["at"], condition=Q(code="dispatched"), name="event_dispatched_at_idx"),
            # serve the briefing's counts (reports.selectors.counting): replies submitted by time, and whether a
            # completed work order was ever reopened (an EXISTS per work order); without them a year's count read
            # every event of the bureau (8,500,000 at 1,000,000 work orders); the replies' index holds the work order
            # too, so that their count reads the index alone (two years at 1,000,000 work orders: 594 -> 54 ms)
            models.Index(
                fields=["at", "ticket"], condition=Q(code="reply_submitted"), name="event_reply_submitted_at_idx"
            ),
            models.Index(fields=["ticket"], condition=Q(code="reopened"), name="event_reopened_ticket_idx"),
        ]

    def __str__(self):
        return self.code


class TicketRequest(models.Model):
    """A request that needs approval: an extension, or returning the work order to the platform."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="requests", verbose_name=_("work order"))
    kind = models.CharField(_("request"), max_length=24, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    clock = models.CharField(_("clock"), max_length=24, choices=Clock.choices, blank=True)
    working_days = models.PositiveSmallIntegerField(_("extra working days"), null=True, blank=True)
    # A return's reason (ReturnReason) or, for a pause, the pause's (PauseReason).
    reason_code = models.CharField(
        _("reason"),
        max_length=24,
        choices=ReturnReason.choices + [c for c in PauseReason.choices if c[0] != ReturnReason.OTHER],
        blank=True,
    )
    reason = models.TextField(_("reason"), max_length=5000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind"], condition=Q(status="pending"), name="one_pending_request_per_kind"
            )
        ]
        indexes = [models.Index(fields=["status", "kind"], name="request_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"


def attachment_path(instance, filename: str) -> str:
    # Never the uploader's name on disk: a random, unguessable path; the name is kept in the row.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"attachments/{instance.ticket_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("work order")
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=AttachmentPurpose.choices, default=AttachmentPurpose.EVIDENCE
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class StatusUpdate(models.Model):
    """The outbox: every status change, in order, for the platform's feed and the webhook."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=24, choices=Status.choices)
    updated_at = models.DateTimeField()
    reply = models.TextField(blank=True)
    delivery_status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["id"]
        indexes = [
            # serves: the webhook sender's "what is due to be sent"
            models.Index(fields=["next_attempt_at"], condition=Q(delivery_status="pending"), name="update_pending_idx"),
        ]

    def __str__(self):
        return f"{self.pk} {self.status}"


class EscalationRule(models.Model):
    """When a reminder tier starts and who receives it: data an administrator edits.

    A rule with a blank clock applies to every clock that has no rule of its own for that tier.
    A tier starts on the first day whose count of working days up to the due day (both included) is
    at most `offset_working_days`; an offset of 0 means "once overdue" (just after due_at).
    """

    clock = models.CharField(_("clock"), max_length=24, choices=Clock.choices, blank=True)
    tier = models.PositiveSmallIntegerField(_("tier"), choices=EscalationTier.choices)
    offset_working_days = models.PositiveSmallIntegerField(
        _("working days left"),
        help_text=_("The tier starts when this many working days or fewer are left, due day included; 0: overdue."),
    )
    recipient_roles = models.JSONField(
        _("recipients (role codes)"),
        default=list,
        help_text=_("Role codes resolved to the people on the work order, e.g. handler, unit_deputy, unit_leader."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["clock", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "tier"], name="escalation_rule_once_per_clock_tier"),
            models.CheckConstraint(condition=Q(tier__gte=1, tier__lte=3), name="escalation_rule_tier_1_to_3"),
        ]

    def __str__(self):
        return f"{self.get_clock_display() or '*'} {self.get_tier_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from org.choices import RoleCode

        roles = self.recipient_roles if isinstance(self.recipient_roles, list) else None
        if roles is None or any(code not in RoleCode.values for code in roles):
            raise ValidationError({"recipient_roles": _("Give a list of role codes.")})


class Escalation(models.Model):
    """One tier of one clock, recorded once (the unique constraint is the guard): fired, or skipped
    because the sweep found the clock already in a later tier."""

    # The unique constraint (clock, tier) is the index for lookups by clock. No database-level foreign
    # key: its check cost ~9 µs for each row the sweep inserts (a catch-up writes ~270,000: 2.2 s of
    # ~11), and it has nothing to catch - the escalation sweep is the only writer and inserts rows only
    # for clocks it holds locked (FOR UPDATE), and a clock is deleted only through Django, which
    # deletes its escalations first (on_delete=CASCADE).
    clock = models.ForeignKey(
        TicketClock,
        on_delete=models.CASCADE,
        related_name="escalations",
        verbose_name=_("deadline"),
        db_index=False,
        db_constraint=False,
    )
    tier = models.PositiveSmallIntegerField(_("tier"), choices=EscalationTier.choices)
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    is_skipped = models.BooleanField(_("skipped"), default=False)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["clock_id", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["clock", "tier"], name="escalation_once_per_clock_tier"),
            models.CheckConstraint(
                condition=Q(is_skipped=True, fired_at__isnull=True) | Q(is_skipped=False, fired_at__isnull=False),
                name="escalation_fired_or_skipped",
            ),
        ]

    def __str__(self):
        return f"{self.clock} {self.get_tier_display()}"


class TicketTextKey(models.Model):
    """One band key of a work order's text (tickets.similarity): BANDS rows a work order, written at intake.

    A copy of the ticket's bureau and receipt time, so that a search is one range scan of one index per key."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", db_index=False)
    received_at = models.DateTimeField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [
            # serves: tickets.similarity.similar_texts, the newest work orders of a bureau under a key in a window
            models.Index(fields=["bureau", "key", "-received_at", "ticket"], name="text_key_search_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id}: {self.key}"


class DuplicateProposal(models.Model):
    """A possible duplicate found at intake (tickets.duplicates): stored both ways, read by the lists in one query."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", db_index=False)
    duplicate = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    # why: "complainant", "business", "text" (comma-separated, in that order)
    reasons = models.CharField(max_length=40)
    score = models.FloatField(null=True, blank=True)
    found_at = models.DateTimeField()
    # Denormalised: the duplicate is open and not merged, so the proposal is still worth showing. Kept by
    # tickets.services.core.proposals_follow wherever a work order's openness changes (ticket_transition, merge,
    # split); the lists read the proposals without the work orders' table (tickets.duplicates.proposals_for).
    # (a default in the database too: a process of the release before, still running while this one migrates, writes
    # proposals without it)
    duplicate_open = models.BooleanField(default=True, db_default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "duplicate"], name="duplicate_proposal_unique"),
        ]
        indexes = [
            # serves: the open proposals of a page of work orders (tickets.duplicates.proposals_for), index only
            models.Index(
                fields=["ticket", "duplicate"],
                condition=models.Q(duplicate_open=True),
                name="duplicate_proposal_open_idx",
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} ~ {self.duplicate_id}"


class TicketMerge(models.Model):
    """A work order merged under a master (并单), and what it was before, so that a split restores it.

    `prior` keeps the merged work order's own state: status, unit, handler, reply, the times the merge overwrote,
    and the status of each clock it stopped ({clock id: "open" | "paused"})."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="merges", verbose_name=_("work order"))
    master = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="+", verbose_name=_("merged into"))
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("merged at"))
    prior = models.JSONField(default=dict)
    split_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    split_at = models.DateTimeField(_("split at"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["merged_at", "id"]
        constraints = [
            # a work order is merged once at a time (the guard of two merges at once, beside the row lock)
            models.UniqueConstraint(fields=["ticket"], condition=Q(split_at__isnull=True), name="merge_one_active"),
        ]

    def __str__(self):
        return f"{self.ticket_id} -> {self.master_id}"


class DispatchObjection(models.Model):
    """A unit's objection to a dispatch (派单异议, docs/dispatch.md): raised within the window after the dispatch,
    decided by the section: upheld (re-dispatched to `new_unit`) or rejected (the unit keeps the work)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="objections", verbose_name=_("work order")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("objecting unit"))
    dispatched_at = models.DateTimeField(_("dispatched at"))  # the dispatch objected to (the window's start)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised at"))
    reason_code = models.CharField(_("reason"), max_length=24, choices=ObjectionReason.choices)
    text = models.TextField(_("explanation"), max_length=5000)
    evidence = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name=_("evidence"))
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True, max_length=5000)
    new_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("re-dispatched to")
    )
    # working minutes from raising to the decision (the calendar's working hours): the figures' time taken
    decision_working_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch objection")
        verbose_name_plural = _("dispatch objections")
        ordering = ["raised_at", "id"]
        constraints = [
            # one objection waits at a time on a work order (the guard of two at once, beside the row lock)
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(status="pending"), name="objection_one_pending_per_ticket"
            ),
            # a rejected objection is not raised again by the same unit on the same work order
            models.UniqueConstraint(
                fields=["ticket", "unit"], condition=Q(status="rejected"), name="objection_rejected_once"
            ),
        ]
        indexes = [
            # serves: the section's pending list; the figures by raising and by decision time
            models.Index(fields=["status", "raised_at"], name="objection_status_idx"),
            models.Index(fields=["unit", "raised_at"], name="objection_unit_raised_idx"),
            models.Index(fields=["unit", "decided_at"], name="objection_unit_decided_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.unit_id} ({self.status})"
