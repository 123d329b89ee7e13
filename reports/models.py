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


class AssessmentScheme(models.Model):
    """One year's annual assessment of units (年度考核), as an administrator sets it (the admin): the weight of
    each indicator (points for a rate of 100%), the points per return, unsatisfied callback, overdue work
    order and rejected objection (negative), and bonus items per unit (AssessmentBonus).

    `weights`: {metric key: points}, e.g. {"on_time_completion": 20}; `deductions`: {"returns": -0.5,
    "unsatisfied": -1, "overdue": -0.5, "objections_rejected": -1}. A kept result (AssessmentResult)
    copies what was in force, so editing a scheme never changes a kept result."""

    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("bureau"))
    year = models.PositiveSmallIntegerField(_("year"))
    weights = models.JSONField(_("weights of the indicators"), default=dict, blank=True)
    deductions = models.JSONField(_("points per item"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual assessment scheme")
        verbose_name_plural = _("annual assessment schemes")
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="assessment_scheme_one_per_year")]

    def __str__(self):
        return f"{self.bureau_id} {self.year}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from reports.assessment import scheme_errors

        errors = scheme_errors(self.weights, self.deductions)
        if errors:
            raise ValidationError(errors)


class AssessmentBonus(models.Model):
    """A bonus item of one unit in one year's assessment (e.g. a typical good case): a label and its points."""

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE, related_name="bonuses")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    label = models.CharField(_("item"), max_length=200)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("bonus item")
        verbose_name_plural = _("bonus items")

    def __str__(self):
        return self.label


class AssessmentResult(models.Model):
    """A year's assessment as kept: the scheme in force then (`scheme`: weights, deductions, bonuses) and each
    unit's score with its lines (`lines`: [{unit, name, score, items: [{label, text, points}]}]), by score."""

    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("bureau"))
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.JSONField(_("scheme in force"))
    lines = models.JSONField(_("scores"))
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = models.ForeignKey(
        "org.User", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("computed by")
    )

    class Meta:
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="assessment_result_one_per_year")]

    def __str__(self):
        return f"{self.bureau_id} {self.year}"
