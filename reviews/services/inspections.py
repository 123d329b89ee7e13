"""Writes of special inspections (专项督查): campaigns, their random sample, scores and findings."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Unit, User
from reviews.choices import ScoreStage
from reviews.models import CampaignQuota, CampaignSample, InspectionCampaign, SampleScore
from reviews.services.knowledge import key_point_create
from tickets.choices import Status
from tickets.models import Ticket
from workdays import calendar


def campaign_create(
    *,
    bureau,
    actor: User,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    quotas: dict[Unit, int],
    seed: str = "",
    finding: str = "",
    outcome: str = "",
    kind: str = "",
) -> InspectionCampaign:
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if not quotas or any(size < 1 for size in quotas.values()):
        raise ValidationError({"quotas": _("Give each unit a sample size of at least 1.")})
    if any(unit.bureau_id != bureau.pk for unit in quotas):
        raise ValidationError({"quotas": _("Choose units of this bureau.")})
    with transaction.atomic():
        campaign = InspectionCampaign.objects.create(
            bureau=bureau,
            name=name,
            finding=finding,
            outcome=outcome,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            seed=seed or f"{random.SystemRandom().getrandbits(48):012x}",
            created_by=actor,
            created_at=timezone.now(),
        )
        CampaignQuota.objects.bulk_create(CampaignQuota(campaign=campaign, unit=u, size=s) for u, s in quotas.items())
    return campaign


def campaign_candidates(campaign: InspectionCampaign):
    """Completed tickets of the bureau in the period that match the criteria."""
    start = dt.datetime.combine(campaign.period_start, dt.time.min, tzinfo=calendar.SHANGHAI)
    end = dt.datetime.combine(campaign.period_end + dt.timedelta(days=1), dt.time.min, tzinfo=calendar.SHANGHAI)
    tickets = Ticket.objects.filter(
        bureau_id=campaign.bureau_id,
        status__in=[Status.COMPLETED, Status.ARCHIVED],
        completed_at__gte=start,
        completed_at__lt=end,
    )
    if campaign.kind:
        tickets = tickets.filter(kind=campaign.kind)
    if campaign.finding:
        tickets = tickets.filter(tracks__finding=campaign.finding)
    if campaign.outcome:
        tickets = tickets.filter(tracks__outcome=campaign.outcome)
    return tickets.distinct()


def campaign_draw_sample(campaign: InspectionCampaign, *, actor: User) -> list[CampaignSample]:
    """Draw each unit's quota at random; the same seed and the same data give the same sample. Drawn once."""
    with transaction.atomic():
        locked = InspectionCampaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.drawn_at is not None:
            raise ValidationError(_("The sample of this campaign is already drawn."))
        quotas = list(CampaignQuota.objects.filter(campaign=locked).select_related("unit").order_by("unit__code"))
        by_unit: dict[int, list[int]] = {}
        for ticket_id, unit_id in campaign_candidates(locked).order_by("pk").values_list("pk", "unit_id"):
            by_unit.setdefault(unit_id, []).append(ticket_id)
        units = [quota.unit for quota in quotas]
        samples = []
        for index, quota in enumerate(quotas):
            ids = by_unit.get(quota.unit_id, [])
            rng = random.Random(f"{locked.seed}:{quota.unit.code}")
            chosen = sorted(rng.sample(ids, min(quota.size, len(ids))))
            # The peer is the next unit in the campaign (by code), so no unit scores its own work.
            peer = units[(index + 1) % len(units)] if len(units) > 1 else None
            samples += [CampaignSample(campaign=locked, ticket_id=t, unit=quota.unit, peer_unit=peer) for t in chosen]
        CampaignSample.objects.bulk_create(samples)
        locked.drawn_at = timezone.now()
        locked.save(update_fields=["drawn_at"])
    campaign.drawn_at = locked.drawn_at
    return list(CampaignSample.objects.filter(campaign=locked))


def sample_score(sample: CampaignSample, *, actor: User, stage: str, score: int, comment: str = "") -> SampleScore:
    if stage not in ScoreStage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("Score from 0 to 100.")})
    if not actor.has_perm("reviews.score_sample", (sample, stage)):
        raise PermissionDenied(_("You may not score this work order at this stage."))
    scored, _created = SampleScore.objects.update_or_create(
        sample=sample,
        stage=stage,
        defaults={"score": score, "comment": comment, "actor": actor, "at": timezone.now()},
    )
    return scored


def campaign_record_findings(
    campaign: InspectionCampaign, *, actor: User, findings: str, key_points: list[dict] | None = None
) -> InspectionCampaign:
    """The campaign's findings; each key point ({title, body, category, kind}) goes to the knowledge base."""
    with transaction.atomic():
        campaign.findings = findings
        campaign.save(update_fields=["findings"])
        for point in key_points or []:
            key_point_create(
                bureau=campaign.bureau,
                actor=actor,
                title=point["title"],
                body=point["body"],
                category=point.get("category"),
                kind=point.get("kind", ""),
                campaign=campaign,
            )
    return campaign
