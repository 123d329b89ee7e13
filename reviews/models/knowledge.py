"""The knowledge base: key points (业务要点) and training sessions with their attendance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, Unit
from reviews.models.inspections import InspectionCampaign
from tickets.choices import Kind
from tickets.models import Category


class KeyPoint(models.Model):
    """处置要点: what to check when handling tickets of a category and kind; shown on matching tickets."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("key points"), max_length=20000)
    campaign = models.ForeignKey(
        InspectionCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_points",
        verbose_name=_("from inspection"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("handling key point")
        verbose_name_plural = _("handling key points")
        ordering = ["category__code", "kind", "title"]
        indexes = [
            # serves: the key points shown on a ticket (its category and kind)
            models.Index(fields=["bureau", "category", "kind"], name="keypoint_match_idx"),
        ]

    def __str__(self):
        return self.title


class TrainingSession(models.Model):
    """轮训带教: a training session and who attended it (person-times by unit and year)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("attendee")
    )
    # The unit at the time of the session: a later transfer does not move past person-times.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    held_on = models.DateField()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once")]
        indexes = [
            # serves: person-times by unit and year
            models.Index(fields=["held_on", "unit"], name="attendance_year_unit_idx"),
        ]

    def __str__(self):
        return f"{self.session_id}/{self.person_id}"
