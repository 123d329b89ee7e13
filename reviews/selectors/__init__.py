"""Every read of reviews, always scoped to the user asking (through tickets.selectors.ticket_list_for_user).

One module per topic; the public names are re-exported here: chain (pending reviews, returns), callbacks
(callbacks, special supervision, overdue), dashboard, inspections (专项督查), knowledge (key points,
training), base (what they share).
"""

from reviews.selectors.base import month_start, user_bureau_id
from reviews.selectors.callbacks import (
    callback_own_recorded_this_round,
    callback_task_get_for_user,
    callback_tasks_for_user,
    callbacks_for_user,
    overdue_for_user,
    supervision_get_for_user,
    supervisions_for_user,
)
from reviews.selectors.chain import pending_reviews_for_user, returns_for_user, review_ticket_for_user
from reviews.selectors.dashboard import dashboard_figures_count, dashboard_for_user
from reviews.selectors.inspections import (
    campaign_get_for_user,
    campaign_summary,
    campaigns_for_user,
    sample_get_for_user,
    samples_for_user,
)
from reviews.selectors.knowledge import (
    key_points_for_ticket,
    key_points_for_user,
    training_person_times,
    training_sessions_for_user,
)

__all__ = [
    "callback_own_recorded_this_round",
    "callback_task_get_for_user",
    "callback_tasks_for_user",
    "callbacks_for_user",
    "campaign_get_for_user",
    "campaign_summary",
    "campaigns_for_user",
    "dashboard_figures_count",
    "dashboard_for_user",
    "key_points_for_ticket",
    "key_points_for_user",
    "month_start",
    "overdue_for_user",
    "pending_reviews_for_user",
    "returns_for_user",
    "review_ticket_for_user",
    "sample_get_for_user",
    "samples_for_user",
    "supervision_get_for_user",
    "supervisions_for_user",
    "training_person_times",
    "training_sessions_for_user",
    "user_bureau_id",
]
