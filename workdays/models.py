from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("State Council schedule (chinesecalendar)")
    ADMIN = "admin", _("entered by an administrator")


class CalendarYear(models.Model):
    """A year whose holiday schedule is known. A year without a row falls back to Monday-Friday."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=CalendarSource.choices)
    loaded_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A day that differs from the Monday-Friday default: a holiday, or a make-up working day (调休).

    Only exceptions are stored, so the whole calendar fits in memory and one query loads it.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("note"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=CalendarSource.choices, default=CalendarSource.ADMIN)

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
