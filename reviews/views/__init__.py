"""Thin views: scoped selector -> permission -> form -> one service -> redirect.

One module per topic (chain, dashboard, callbacks, inspections, knowledge; base holds what they share); the
views are re-exported here.
"""

from reviews.views.base import PAGE_SIZE
from reviews.views.callbacks import (
    CallbackListView,
    SupervisionListView,
    callback_attempt,
    callback_create,
    supervision_detail,
)
from reviews.views.chain import PendingReviewsView, ReturnListView, ReviewView, approve, return_for_redo
from reviews.views.dashboard import DashboardView, OverdueListView
from reviews.views.inspections import (
    CampaignListView,
    campaign_create,
    campaign_detail,
    campaign_draw,
    campaign_findings,
    sample_score,
)
from reviews.views.knowledge import key_points, training

__all__ = [
    "PAGE_SIZE",
    "CallbackListView",
    "CampaignListView",
    "DashboardView",
    "OverdueListView",
    "PendingReviewsView",
    "ReturnListView",
    "ReviewView",
    "SupervisionListView",
    "approve",
    "callback_attempt",
    "callback_create",
    "campaign_create",
    "campaign_detail",
    "campaign_draw",
    "campaign_findings",
    "key_points",
    "return_for_redo",
    "sample_score",
    "supervision_detail",
    "training",
]
