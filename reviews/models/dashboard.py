"""The review dashboard's stored counts, one row per bureau."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Bureau


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
