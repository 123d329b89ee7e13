"""Special inspections (专项督查): a campaign, its quotas per unit, the drawn sample and its scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, Unit
from reviews.choices import ScoreStage
from tickets.choices import Finding, Kind, Outcome
from tickets.models import Ticket


class InspectionCampaign(models.Model):
    """专项督查: a random sample of tickets by criteria, scored by the unit, a peer unit and the section."""

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", verbose_name=_("bureau"))
    name = models.CharField(_("name"), max_length=200)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    period_start = models.DateField(_("completed from"))
    period_end = models.DateField(_("completed until"))
    seed = models.CharField(_("random seed"), max_length=64)
    drawn_at = models.DateTimeField(_("sample drawn at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    findings = models.TextField(_("findings"), blank=True, max_length=20000)

    class Meta:
        verbose_name = _("inspection campaign")
        verbose_name_plural = _("inspection campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class CampaignQuota(models.Model):
    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    size = models.PositiveSmallIntegerField(_("sample size"), validators=[MaxValueValidator(500)])

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["unit__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="quota_once_per_unit")]

    def __str__(self):
        return f"{self.unit_id}: {self.size}"


class CampaignSample(models.Model):
    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.CASCADE, related_name="samples")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("work order"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    peer_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("peer unit")
    )

    class Meta:
        verbose_name = _("sampled work order")
        verbose_name_plural = _("sampled work orders")
        ordering = ["unit__code", "ticket_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "ticket"], name="sample_ticket_once")]

    def __str__(self):
        return f"{self.campaign_id}/{self.ticket_id}"


class SampleScore(models.Model):
    sample = models.ForeignKey(CampaignSample, on_delete=models.CASCADE, related_name="scores")
    stage = models.CharField(_("stage"), max_length=16, choices=ScoreStage.choices)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True, max_length=5000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sample", "stage"], name="score_once_per_stage"),
            models.CheckConstraint(condition=Q(score__lte=100), name="score_at_most_100"),
        ]

    def __str__(self):
        return f"{self.stage} {self.score}"
