"""The escalations a platform sees. ONE place to wire the reminders app's Escalation model.

Until `reminders` lands, no escalation exists: the list is empty. At the merge, replace the body of
`escalations_for_tickets` with a query over reminders.models.Escalation (clock__ticket_id__in=ticket_ids),
returning {"clock": e.clock.clock, "tier": e.tier, "fired_at": e.fired_at, "skipped": e.is_skipped}.
"""

from __future__ import annotations


def escalations_for_tickets(ticket_ids: list[int]) -> dict[int, list[dict]]:
    """ticket id -> [{"clock", "tier", "fired_at", "skipped"}], oldest first; one query for all ids."""
    return {ticket_id: [] for ticket_id in ticket_ids}
