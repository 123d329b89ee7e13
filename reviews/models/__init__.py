"""The models of reviews, one module per topic (the app label and model names are those of the one file they
came from, so no migration): chain, callbacks, inspections, knowledge, dashboard."""

from reviews.models.callbacks import Callback, CallbackTask, SpecialSupervision
from reviews.models.chain import Return, ReturnReasonLine
from reviews.models.dashboard import DashboardFigures
from reviews.models.inspections import CampaignQuota, CampaignSample, InspectionCampaign, SampleScore
from reviews.models.knowledge import KeyPoint, TrainingAttendance, TrainingSession

__all__ = [
    "Callback",
    "CallbackTask",
    "CampaignQuota",
    "CampaignSample",
    "DashboardFigures",
    "InspectionCampaign",
    "KeyPoint",
    "Return",
    "ReturnReasonLine",
    "SampleScore",
    "SpecialSupervision",
    "TrainingAttendance",
    "TrainingSession",
]
