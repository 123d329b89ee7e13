"""What the reports keep: the counts of a closed month, worked out once (reports.services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Bureau


class MonthlyCounts(models.Model):
    """The monthly briefing's counters for one bureau and one month, as of `computed_at`.

    Counting a month reads every work order, clock, finding and callback of that month and of the same
    month a year earlier: ~3.5 s at 1,000,000 work orders (bench/RESULTS.md). A closed month's briefing
    is a document that is read many times and should not shift between readings, so its counters are
    worked out once (by the hourly task after the month, or by the first reader) and kept here; the
    section can count a month again (a correction). The month in progress is kept for a few minutes
    (HOTLINE_REPORTS_OPEN_MONTH_SECONDS) and counted again by the reader who finds it older.

    `counts` maps "<unit id>:<period>" (period 0: the month, 1: a year earlier) to {counter: value},
    exactly what reports.selectors.monthly_counts returns; `businesses` is the bureau's top_businesses (a
    unit leader's own unit's are counted when read).
    """

    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("bureau"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    counts = models.JSONField(_("counts"))
    businesses = models.JSONField(_("businesses with the most work orders"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly counts")
        verbose_name_plural = _("monthly counts")
        constraints = [models.UniqueConstraint(fields=["bureau", "month"], name="monthly_counts_one_per_month")]

    def __str__(self):
        return f"{self.bureau_id} {self.month:%Y-%m}"
