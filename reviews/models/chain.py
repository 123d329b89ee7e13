"""The review chain's records: each return (退回重办) and its reason lines, counted per unit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from reviews.choices import ReturnReasonCode, Stage
from tickets.models import Ticket


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
