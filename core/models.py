from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time each periodic job ran: shows that the worker and beat are alive."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    last_run_at = models.DateTimeField(_("last run"))
    run_count = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        # The table kept its name when the model moved from hotline/ to core/ (a state-only migration).
        db_table = "hotline_heartbeat"

    def __str__(self):
        return self.name
