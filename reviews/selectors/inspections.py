"""Reads of special inspections (专项督查): campaigns, samples and their scores."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from org.models import User
from reviews.choices import ScoreStage
from reviews.models import CampaignSample, InspectionCampaign
from reviews.selectors.base import user_bureau_id
from tickets.rules import is_bureau_wide


def campaigns_for_user(user: User) -> QuerySet[InspectionCampaign]:
    return InspectionCampaign.objects.filter(bureau_id=user_bureau_id(user)).order_by("-created_at", "-id")


def campaign_get_for_user(user: User, pk: int) -> InspectionCampaign:
    try:
        return campaigns_for_user(user).get(pk=pk)
    except (InspectionCampaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def samples_for_user(user: User, campaign: InspectionCampaign) -> QuerySet[CampaignSample]:
    """The section and bureau-wide roles see every sample; a unit sees its own and those it scores as peer."""
    samples = CampaignSample.objects.filter(campaign=campaign)
    if not is_bureau_wide(user):
        samples = samples.filter(Q(unit_id=user.unit_id) | Q(peer_unit_id=user.unit_id))
    return (
        samples.select_related("ticket", "unit", "peer_unit")
        .annotate(
            self_score=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SELF)),
            peer_score=Avg("scores__score", filter=Q(scores__stage=ScoreStage.PEER)),
            section_score=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SECTION)),
        )
        .order_by("unit__code", "ticket_id")
    )


def sample_get_for_user(user: User, pk: int) -> CampaignSample:
    try:
        sample = CampaignSample.objects.select_related("campaign", "unit", "peer_unit", "ticket").get(pk=pk)
    except (CampaignSample.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # The campaign must be of the user's bureau: a bureau-wide role of another bureau sees every sample of a
    # campaign samples_for_user is given, so the bureau is checked here, before it.
    if sample.campaign.bureau_id != user_bureau_id(user):
        raise Http404
    if not samples_for_user(user, sample.campaign).filter(pk=pk).exists():
        raise Http404
    return sample


def campaign_summary(campaign: InspectionCampaign) -> list[dict]:
    """Scores by unit: sample size and the average self, peer and section score."""
    return list(
        CampaignSample.objects.filter(campaign=campaign)
        .values("unit_id", "unit__name")
        .annotate(
            samples=Count("pk", distinct=True),
            self_avg=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SELF)),
            peer_avg=Avg("scores__score", filter=Q(scores__stage=ScoreStage.PEER)),
            section_avg=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SECTION)),
        )
        .order_by("unit__name")
    )
