"""Permission names for reviews, callbacks, supervision, inspections, key points and training."""

import rules

from org.rules import (
    is_administrator,
    is_bureau_leader,
    is_section_staff,
    is_supervisor,
    is_unit_management,
)
from reviews.choices import ScoreStage
from tickets.choices import Status
from tickets.rules import in_status, is_merged, is_unit_staff, of_my_unit, same_bureau

awaits_unit_review = in_status(Status.UNIT_REVIEW)
awaits_section_review = in_status(Status.SECTION_REVIEW)
takes_callback = in_status(Status.COMPLETED, Status.ARCHIVED)


@rules.predicate
def same_bureau_obj(user, obj) -> bool:
    """For objects that carry a bureau_id (campaigns, key points, training) or a ticket."""
    if obj is None or user.unit_id is None:
        return False
    bureau_id = getattr(obj, "bureau_id", None)
    if bureau_id is None and hasattr(obj, "ticket"):
        bureau_id = obj.ticket.bureau_id
    if bureau_id is None and hasattr(obj, "campaign"):
        bureau_id = obj.campaign.bureau_id
    return bureau_id == user.unit.bureau_id


@rules.predicate
def scores_own_sample(user, sample_and_stage) -> bool:
    sample, stage = sample_and_stage
    if stage == ScoreStage.SELF:
        return sample.unit_id == user.unit_id
    if stage == ScoreStage.PEER:
        return sample.peer_unit_id is not None and sample.peer_unit_id == user.unit_id
    return False


@rules.predicate
def scores_as_section(user, sample_and_stage) -> bool:
    sample, stage = sample_and_stage
    return stage == ScoreStage.SECTION and sample.campaign.bureau_id == (user.unit.bureau_id if user.unit_id else None)


review_at_unit = is_unit_management & of_my_unit & awaits_unit_review
review_at_section = is_section_staff & same_bureau & awaits_section_review

# Object permissions (checked with the ticket or the object).
# A work order merged under a master (并单) is reviewed with its master, never on its own (its review would be
# refused by ticket_transition): the page offers no review there.
rules.add_perm("reviews.review_ticket", (review_at_unit | review_at_section) & ~is_merged)
rules.add_perm("reviews.record_callback", is_section_staff & same_bureau & takes_callback)
rules.add_perm("reviews.manage_supervision", is_section_staff & same_bureau_obj)
# Checked with (sample, stage): self by the sampled unit's management, peer by the peer unit's, section by the section.
rules.add_perm(
    "reviews.score_sample", (is_unit_management & scores_own_sample) | (is_section_staff & scores_as_section)
)

# Page permissions (checked without an object).
rules.add_perm("reviews.view_dashboard", is_supervisor)
rules.add_perm("reviews.view_pending_reviews", is_unit_management | is_supervisor)
rules.add_perm("reviews.view_returns", is_supervisor | is_unit_management)
rules.add_perm("reviews.view_callbacks", is_supervisor | is_unit_management)
rules.add_perm("reviews.view_supervisions", is_supervisor | is_unit_management)
rules.add_perm("reviews.manage_campaigns", is_section_staff | is_administrator)
rules.add_perm("reviews.view_campaigns", is_supervisor | is_unit_management)
rules.add_perm("reviews.view_key_points", is_supervisor | is_unit_staff)
rules.add_perm("reviews.manage_key_points", is_section_staff | is_administrator)
rules.add_perm("reviews.view_training", is_supervisor | is_unit_management)
rules.add_perm("reviews.manage_training", is_section_staff | is_administrator | is_bureau_leader)
