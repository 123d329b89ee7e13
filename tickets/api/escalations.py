"""The escalations a platform sees. ONE place to wire the reminders branch's Escalation model.

Until `reminders` lands, no escalation exists: the list is empty. At the merge, replace the body of
`escalations_for_tickets` with (tickets.models.Escalation: clock FK TicketClock, tier, fired_at, is_skipped):

    found = {ticket_id: [] for ticket_id in ticket_ids}
    rows = Escalation.objects.filter(clock__ticket_id__in=ticket_ids).select_related("clock")
    for e in rows.order_by("clock__due_at", "clock_id", "tier"):
        found[e.clock.ticket_id].append(
            {"clock": e.clock.clock, "tier": e.tier, "fired_at": e.fired_at, "skipped": e.is_skipped}
        )
    return found
"""

from __future__ import annotations


def escalations_for_tickets(ticket_ids: list[int]) -> dict[int, list[dict]]:
    """ticket id -> [{"clock", "tier", "fired_at", "skipped"}], oldest first; one query for all ids."""
    return {ticket_id: [] for ticket_id in ticket_ids}
