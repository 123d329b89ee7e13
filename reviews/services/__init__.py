"""Every write of reviews, one module per topic; the public names are re-exported here.

chain (approvals and returns), callbacks (callbacks and special supervision), inspections (专项督查),
knowledge (key points and training), dashboard (the dashboard's stored counts).
"""

from reviews.services.callbacks import (
    CALLBACK_DUE_WORKING_DAYS,
    callback_fingerprint,
    callback_record,
    callback_task_attempt,
    callback_task_book,
    supervision_update,
)
from reviews.services.chain import (
    NO_MEDIATION_INSTEAD_OF_PENALTY,
    SUBSTANTIATED_FINDINGS,
    review_approve,
    review_check,
    review_return,
)
from reviews.services.dashboard import dashboard_figures_current, dashboard_figures_refresh
from reviews.services.inspections import (
    campaign_candidates,
    campaign_create,
    campaign_draw_sample,
    campaign_record_findings,
    sample_score,
)
from reviews.services.knowledge import key_point_create, training_create, training_set_attendees

__all__ = [
    "CALLBACK_DUE_WORKING_DAYS",
    "NO_MEDIATION_INSTEAD_OF_PENALTY",
    "SUBSTANTIATED_FINDINGS",
    "callback_fingerprint",
    "callback_record",
    "callback_task_attempt",
    "callback_task_book",
    "campaign_candidates",
    "campaign_create",
    "campaign_draw_sample",
    "campaign_record_findings",
    "dashboard_figures_current",
    "dashboard_figures_refresh",
    "key_point_create",
    "review_approve",
    "review_check",
    "review_return",
    "sample_score",
    "supervision_update",
    "training_create",
    "training_set_attendees",
]
