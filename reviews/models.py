from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, Unit
from reviews.choices import (
    CallbackSource,
    CallbackTaskStatus,
    Resolved,
    ReturnReasonCode,
    Satisfaction,
    ScoreStage,
    Stage,
    SupervisionStatus,
)
from tickets.choices import Finding, Kind, Outcome
from tickets.models import Category, Ticket


class Return(models.Model):
    """A reply sent back for redo (退回重办) by the unit deputy leader or the section; counted against the unit."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="returns", verbose_name=_("work order"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="returns", verbose_name=_("unit"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    reason_codes = models.JSONField(_("reasons"), default=list)
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("returned at"))

    class Meta:
        verbose_name = _("return for redo")
        verbose_name_plural = _("returns for redo")
        ordering = ["-at", "-id"]
        indexes = [
            # serves: the dashboard's "returns this month by unit" and the returns list filtered by unit
            models.Index(fields=["unit", "at"], name="return_unit_at_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.get_stage_display()}"

    def reason_labels(self) -> list[str]:
        labels = dict(ReturnReasonCode.choices)
        return [str(labels.get(code, code)) for code in self.reason_codes]


class ReturnReasonLine(models.Model):
    """One reason code of a return, as a row, so that 'returns by reason' is one GROUP BY."""

    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="reason_lines")
    code = models.CharField(_("reason"), max_length=32, choices=ReturnReasonCode.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ret", "code"], name="return_reason_once")]
        indexes = [
            # serves: the dashboard's "returns this month by reason"
            models.Index(fields=["at", "code"], name="return_reason_at_idx"),
        ]

    def __str__(self):
        return self.code


class CallbackTask(models.Model):
    """A callback that is due (回访): booked at completion, tried until the citizen is reached."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="callback_tasks", verbose_name=_("work order")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CallbackTaskStatus.choices, default=CallbackTaskStatus.BOOKED
    )
    due_at = models.DateTimeField(_("due at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("booked at"))

    class Meta:
        verbose_name = _("callback task")
        verbose_name_plural = _("callback tasks")
        ordering = ["due_at", "id"]
        constraints = [
            # One open task per ticket: completing twice (after a redo) books one again only once the first is done.
            models.UniqueConstraint(
                fields=["ticket"], condition=~Q(status="reached"), name="one_open_callback_task_per_ticket"
            )
        ]
        indexes = [
            # serves: the callback worklist (open tasks by due time)
            models.Index(fields=["due_at"], condition=~Q(status="reached"), name="callback_task_open_due_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.get_status_display()}"


class Callback(models.Model):
    """A callback result: whether the request was resolved and whether the citizen is satisfied, separately."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks", verbose_name=_("work order"))
    task = models.ForeignKey(
        CallbackTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="callbacks", verbose_name=_("task")
    )
    source = models.CharField(_("source"), max_length=16, choices=CallbackSource.choices)
    resolved = models.CharField(_("resolved"), max_length=16, choices=Resolved.choices, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=24, choices=Satisfaction.choices)
    comment = models.TextField(_("note"), blank=True, max_length=5000)
    called_at = models.DateTimeField(_("called at"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # sha256 of (ticket, satisfaction, resolved, comment, called_at, source): the same callback twice is one row.
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["-called_at", "-id"]
        indexes = [
            # serves: the dashboard's "unsatisfied callbacks this month by unit"
            models.Index(fields=["satisfaction", "called_at"], name="callback_satisfaction_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.get_satisfaction_display()}"


class SpecialSupervision(models.Model):
    """专项督办: opened by an unsatisfied callback from the city hotline office."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("work order")
    )
    callback = models.OneToOneField(
        Callback, on_delete=models.CASCADE, related_name="supervision", verbose_name=_("callback")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=SupervisionStatus.choices, default=SupervisionStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    cause_analysis = models.TextField(_("cause analysis"), blank=True, max_length=10000)
    responsible_person = models.CharField(_("person responsible"), max_length=100, blank=True)
    is_typical_case = models.BooleanField(_("typical case"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("special supervision")
        verbose_name_plural = _("special supervisions")
        ordering = ["-opened_at", "-id"]
        indexes = [
            # serves: the dashboard's open alerts and the typical-case list for notices
            models.Index(fields=["status", "is_typical_case"], name="supervision_status_idx"),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.get_status_display()}"


class InspectionCampaign(models.Model):
    """专项督查: a random sample of tickets by criteria, scored by the unit, a peer unit and the section."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    name = models.CharField(_("name"), max_length=200)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    period_start = models.DateField(_("completed from"))
    period_end = models.DateField(_("completed until"))
    seed = models.CharField(_("random seed"), max_length=64)
    drawn_at = models.DateTimeField(_("sample drawn at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    findings = models.TextField(_("findings"), blank=True, max_length=20000)

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class CampaignQuota(models.Model):
    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    size = models.PositiveSmallIntegerField(_("sample size"), validators=[MaxValueValidator(500)])

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["unit__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="quota_once_per_unit")]

    def __str__(self):
        return f"{self.unit_id}: {self.size}"


class CampaignSample(models.Model):
    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.CASCADE, related_name="samples")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("work order"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    peer_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("peer unit")
    )

    class Meta:
        verbose_name = _("sampled work order")
        verbose_name_plural = _("sampled work orders")
        ordering = ["unit__code", "ticket_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "ticket"], name="sample_ticket_once")]

    def __str__(self):
        return f"{self.campaign_id}/{self.ticket_id}"


class SampleScore(models.Model):
    sample = models.ForeignKey(CampaignSample, on_delete=models.CASCADE, related_name="scores")
    stage = models.CharField(_("stage"), max_length=16, choices=ScoreStage.choices)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sample", "stage"], name="score_once_per_stage"),
            models.CheckConstraint(condition=Q(score__lte=100), name="score_at_most_100"),
        ]

    def __str__(self):
        return f"{self.stage} {self.score}"


class KeyPoint(models.Model):
    """处置要点: what to check when handling tickets of a category and kind; shown on matching tickets."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("key points"), max_length=20000)
    campaign = models.ForeignKey(
        InspectionCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_points",
        verbose_name=_("from inspection"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("handling key point")
        verbose_name_plural = _("handling key points")
        ordering = ["category__code", "kind", "title"]
        indexes = [
            # serves: the key points shown on a ticket (its category and kind)
            models.Index(fields=["bureau", "category", "kind"], name="keypoint_match_idx"),
        ]

    def __str__(self):
        return self.title


class TrainingSession(models.Model):
    """轮训带教: a training session and who attended it (person-times by unit and year)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("attendee")
    )
    # The unit at the time of the session: a later transfer does not move past person-times.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    held_on = models.DateField()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once")]
        indexes = [
            # serves: person-times by unit and year
            models.Index(fields=["held_on", "unit"], name="attendance_year_unit_idx"),
        ]

    def __str__(self):
        return f"{self.session_id}/{self.person_id}"


class DashboardFigures(models.Model):
    """The review dashboard's counts for one bureau, as of `computed_at`.

    Counting a bureau's overdue work orders, overdue callbacks, supervisions and this month's returns
    reads rows in proportion to the bureau's history (0.9 s at 1,000,000 work orders, bench/RESULTS.md):
    too much for every page view of a page supervisors keep open. A beat task (reviews.refresh_dashboards,
    every HOTLINE_DASHBOARD_SECONDS) works them out once for everybody; the page reads this row and says
    when the figures were counted. The list of work orders waiting for review stays live.
    """

    bureau = models.OneToOneField(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("bureau"))
    since = models.DateTimeField(_("monthly figures since"))
    computed_at = models.DateTimeField(_("computed at"))
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")

    def __str__(self):
        return f"{self.bureau_id} @ {self.computed_at:%Y-%m-%d %H:%M:%S}"
