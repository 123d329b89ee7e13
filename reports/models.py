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


class PeriodCount(models.Model):
    """A count of a period done in the background (reports.tasks.count_period), with its progress for the page.

    A period of whole months has its months that are not kept counted together in one pass (one statement per
    aggregate for all of them) and each kept in MonthlyCounts, so the page then reads it from kept counts; a
    range that is not made of whole months is counted in one pass and its counts kept here (`counts`, as
    MonthlyCounts.counts) for HOTLINE_REPORTS_RANGE_SECONDS. The progress is `done` of `total` steps: each
    aggregate, keeping the months, and a year's annual sections (reports.services.period_count_run).
    One row per bureau and period: counting again starts the row afresh."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("counting")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("bureau"))
    period = models.CharField(_("period"), max_length=24)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveSmallIntegerField(_("steps done"), default=0)
    total = models.PositiveSmallIntegerField(_("steps in all"), default=0)
    counts = models.JSONField(_("counts"), null=True, blank=True)
    requested_by = models.ForeignKey(
        "org.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background count")
        verbose_name_plural = _("background counts")
        constraints = [models.UniqueConstraint(fields=["bureau", "period"], name="period_count_one_per_period")]

    def __str__(self):
        return f"{self.bureau_id} {self.period}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


def briefing_path(instance, filename: str) -> str:
    return f"reports/briefings/{instance.bureau_id}/{instance.month:%Y-%m}/{filename}"


class BriefingFile(models.Model):
    """A monthly briefing kept as a file (.xlsx or .docx) for download: made by the schedule on the first
    working day of the next month (`made_by` None; one per bureau, month and kind) or on demand by a reader of
    the whole bureau ("make now", kept with who made it)."""

    class Kind(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        DOCX = "docx", "Word (.docx)"

    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("bureau"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=briefing_path, max_length=255)
    made_by = models.ForeignKey(
        "org.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
        help_text=_("Empty: made by the schedule."),
    )
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("kept briefing")
        verbose_name_plural = _("kept briefings")
        constraints = [
            # the schedule makes a month's briefing once (a second run of the task, or two workers, find it made)
            models.UniqueConstraint(
                fields=["bureau", "month", "kind"],
                condition=models.Q(made_by__isnull=True),
                name="briefing_file_one_scheduled",
            )
        ]
        indexes = [
            # serves: the briefing page's list of kept files, newest first
            models.Index(fields=["bureau", "-made_at"], name="briefing_file_bureau_idx")
        ]

    def __str__(self):
        return f"{self.bureau_id} {self.month:%Y-%m} {self.kind}"


class AnnualCounts(models.Model):
    """The annual report's sections that are not monthly counts (reports.selectors.annual.annual_sections: the top
    categories and businesses against the year before, the returns and unsatisfied callbacks named, typical cases,
    inspections, training) of one bureau and year, as of `computed_at`: counting them reads two years of work
    orders, so a closed year's are kept as its months are (counted again on demand); the year in progress's for
    HOTLINE_REPORTS_OPEN_MONTH_SECONDS."""

    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="+", verbose_name=_("bureau"))
    year = models.PositiveSmallIntegerField(_("year"))
    data = models.JSONField(_("counts"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("annual counts")
        verbose_name_plural = _("annual counts")
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="annual_counts_one_per_year")]

    def __str__(self):
        return f"{self.bureau_id} {self.year}"
