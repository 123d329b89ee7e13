"""Callbacks (回访): the booked task, the recorded result, and the special supervision it may open."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from reviews.choices import CallbackSource, CallbackTaskStatus, Resolved, Satisfaction, SupervisionStatus
from tickets.models import Ticket


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
