"""The escalations a platform sees (shared/API.md, "Reading progress")."""

from __future__ import annotations

from tickets.models import Escalation


def escalations_for_tickets(ticket_ids: list[int]) -> dict[int, list[dict]]:
    """ticket id -> [{"clock", "tier", "fired_at", "skipped"}], oldest first; one query for all ids."""
    found: dict[int, list[dict]] = {ticket_id: [] for ticket_id in ticket_ids}
    rows = Escalation.objects.filter(clock__ticket_id__in=ticket_ids).select_related("clock")
    for escalation in rows.order_by("clock__due_at", "clock_id", "tier"):
        found[escalation.clock.ticket_id].append(
            {
                "clock": escalation.clock.clock,
                "tier": escalation.tier,
                "fired_at": escalation.fired_at,
                "skipped": escalation.is_skipped,
            }
        )
    return found
