"""The dispatch catalogue (派单目录): which unit leads, and which assist, for a matter in an area.

A row is one version: (bureau, category, area, effective_from) is unique. Rows in force are never edited:
a change is a new version from a date on or after today (dispatch.services), so a ticket's suggestion,
chosen by its receipt date, stays what it was.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, Unit
from tickets.models import Category


class CatalogueRow(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    area = models.CharField(
        _("town or street"), max_length=100, blank=True, help_text=_("Leave empty for anywhere in the district.")
    )
    lead_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead unit"))
    assisting_units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("assisting units"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("dispatch catalogue row")
        verbose_name_plural = _("dispatch catalogue")
        ordering = ["category__code", "area", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "category", "area", "effective_from"], name="catalogue_row_one_version_a_day"
            )
        ]

    def __str__(self):
        return f"{self.category} · {self.area or '*'} → {self.lead_unit} ({self.effective_from})"
