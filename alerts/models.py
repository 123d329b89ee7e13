"""Cluster alerts (双向预警): many work orders about one business, from one phone, or with one text."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alerts.choices import ACTIVE_STATUSES, AlertKind, AlertStatus
from org.models import Bureau, Unit
from tickets.models import Business, Ticket


class TicketSignature(models.Model):
    """The keys a work order is clustered by (alerts.signatures), written once when it is first checked.

    A copy of three of the ticket's facts, kept here so that tickets knows nothing of alerts and each
    window count is one range scan of a narrow partial index. The business is the one at intake: a later
    change of the ticket's respondent does not move it to another cluster (docs/alerts.md).
    """

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, primary_key=True, related_name="+")
    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", db_index=False)
    received_at = models.DateTimeField()
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    phone_key = models.CharField(max_length=32, blank=True)
    text_key = models.CharField(max_length=32, blank=True)
    # the professional-claimant kind's person: "id:<fingerprint of the ID number>" or "phone:<digits>"
    claimant_key = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        indexes = [
            # serve: the sliding-window count of each kind (alerts.services.alert_detect_for_ticket)
            models.Index(
                fields=["bureau", "business", "received_at"],
                condition=Q(business__isnull=False),
                name="signature_business_window_idx",
            ),
            models.Index(
                fields=["bureau", "phone_key", "received_at"],
                condition=~Q(phone_key=""),
                name="signature_phone_window_idx",
            ),
            models.Index(
                fields=["bureau", "text_key", "received_at"],
                condition=~Q(text_key=""),
                name="signature_text_window_idx",
            ),
            # the businesses one person reported in the window (only work orders with a business count)
            models.Index(
                fields=["bureau", "claimant_key", "received_at"],
                condition=~Q(claimant_key="") & Q(business__isnull=False),
                name="signature_claimant_window_idx",
            ),
        ]

    def __str__(self):
        return f"signature of work order {self.ticket_id}"


class ClusterAlert(models.Model):
    """One cluster: raised once the window count reaches the threshold, then gathers the later work orders
    of the same key until the section closes it. A flag for people, never a decision on any work order."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    kind = models.CharField(_("kind"), max_length=16, choices=AlertKind.choices)
    # business id, phone digits or text fingerprint (alerts.signatures); the phone is personal data: pages
    # show `label` (masked) instead.
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("what"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    opened_at = models.DateTimeField(_("opened at"))
    first_ticket_at = models.DateTimeField(_("first work order received at"))
    last_ticket_at = models.DateTimeField(_("last work order received at"))
    ticket_count = models.PositiveIntegerField(_("work orders"), default=0)
    reply_line = models.TextField(_("unified reply line"), blank=True, max_length=5000)
    consultation_note = models.TextField(_("consultation record"), blank=True, max_length=5000)
    consulted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consulted by"),
    )
    consulted_at = models.DateTimeField(_("consulted at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    tickets = models.ManyToManyField(
        Ticket, through="AlertTicket", through_fields=("alert", "ticket"), related_name="+"
    )
    # A merged alert (status merged): the alert that took its work orders and, from then on, its key's new ones.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_alerts",
        verbose_name=_("merged into"),
    )

    class Meta:
        verbose_name = _("cluster alert")
        verbose_name_plural = _("cluster alerts")
        constraints = [
            # serves: "the active alert of this key" (detection), and makes two detections at once open one
            models.UniqueConstraint(
                fields=["bureau", "kind", "key"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="alert_one_active_per_key",
            ),
        ]
        indexes = [
            # serves: the alert list of a bureau, filtered by status, latest activity first
            models.Index(fields=["bureau", "status", "-last_ticket_at"], name="alert_bureau_status_idx"),
            # serves: the alerts of a work order's keys, active and closed, in one lookup (detection: the active
            # one to link to, and when the last one was closed: a new alert counts only what came after it)
            models.Index(fields=["bureau", "kind", "key"], name="alert_key_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class AlertTicket(models.Model):
    """A work order linked to an alert, and when."""

    alert = models.ForeignKey(ClusterAlert, on_delete=models.CASCADE, related_name="links")
    # serves (its own index): the alerts of one work order (the ticket page's flag)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    linked_at = models.DateTimeField()
    # The unit that was told of this work order in the alert (at the opening, at a later joining, or when the work
    # order reached a unit afterwards); a work order now held by another unit is told again (alert_units_follow).
    told_unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    # The alert this link came from by a merge (alerts.services.alert_merge); a split moves it back there.
    merged_from = models.ForeignKey(
        ClusterAlert, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "ticket"], name="alert_ticket_unique")]

    def __str__(self):
        return f"{self.alert_id}: {self.ticket_id}"


class AlertUnit(models.Model):
    """A unit in the alert (双向预警: the section and the units): one holding a linked work order, and since when."""

    alert = models.ForeignKey(ClusterAlert, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "unit"], name="alert_unit_unique")]

    def __str__(self):
        return f"{self.alert_id}: unit {self.unit_id}"


class SweepMark(models.Model):
    """How far the safety-net sweep (alerts.services.alert_detect_unchecked) has come: every work order with an id
    up to `ticket_id` has been checked. One row; the sweep reads on from there, however old the work orders are."""

    name = models.CharField(max_length=40, primary_key=True)
    ticket_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.ticket_id}"
