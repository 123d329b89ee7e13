"""Permission names for notifications and the reminder screens."""

import rules

from org.rules import (
    is_administrator,
    is_bureau_leader,
    is_handler,
    is_section_chief,
    is_section_reviewer,
    is_unit_deputy,
    is_unit_leader,
)

# The "due soon / overdue" panel: a handler sees their own work orders, unit leaders their unit's.
rules.add_perm("notifications.view_due_panel", is_handler | is_unit_deputy | is_unit_leader)
# Overdue and tier counts per unit: sections and leaders, for their bureau.
rules.add_perm(
    "notifications.view_tier_counts", is_section_chief | is_section_reviewer | is_bureau_leader | is_administrator
)
