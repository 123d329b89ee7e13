"""The deadlines and escalations a platform sees (shared/API.md, "Reading progress")."""

from __future__ import annotations

from tickets.models import TicketClock


def deadlines_and_escalations(ticket_id: int) -> tuple[list[dict], list[dict]]:
    """A work order's deadlines (by due time) and its escalations (by deadline, then tier): one query.

    The clocks are read with their escalations joined (a clock with none gives one row of NULLs), in the
    order both lists are answered in.
    """
    rows = (
        TicketClock.objects.filter(ticket_id=ticket_id)
        .order_by("due_at", "id", "escalations__tier")
        .values_list(
            "id",
            "clock",
            "due_at",
            "status",
            "met_at",
            "escalations__tier",
            "escalations__fired_at",
            "escalations__is_skipped",
        )
    )
    deadlines, escalations = [], []
    last_clock_id = None
    for clock_id, clock, due_at, status, met_at, tier, fired_at, is_skipped in rows:
        if clock_id != last_clock_id:
            deadlines.append({"clock": clock, "due_at": due_at, "status": status, "met_at": met_at})
            last_clock_id = clock_id
        if tier is not None:
            escalations.append({"clock": clock, "tier": tier, "fired_at": fired_at, "skipped": is_skipped})
    return deadlines, escalations
