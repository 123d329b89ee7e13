"""Reads for the platform's API: what a platform may see is scoped to its client's bureau."""

from __future__ import annotations

from django.http import Http404

from integrations.models import IntegrationClient
from tickets.choices import PLATFORM_SOURCES, Status
from tickets.models import StatusUpdate, Ticket, TicketClock, TicketEvent

OUTCOME_STATUSES = frozenset({Status.COMPLETED, Status.ARCHIVED})

# What the view shows of a work order, and of the master it was merged into (whose status, unit and
# outcome it shows instead of its own).
MASTER_COLUMNS = ("status", "reply_text", "unit_id", "unit__code", "unit__name", "source", "external_id")
TRACK_COLUMNS = ("track", "finding", "outcome", "case_number")

# Timeline codes of the bureau's own work that the city is not shown (docs/platform-contract.md): a cluster
# alert's consultation (which other citizens' work orders were weighed together, and the line agreed) and a
# special supervision's notes. Audit-only events (is_internal) are left off as well.
PLATFORM_HIDDEN_EVENTS = frozenset({"alert_consulted", "supervision_updated"})


def ticket_for_client(client: IntegrationClient, *, source: str, external_id: str) -> Ticket:
    """The work order, whole, for the endpoints that change it (callback, urge)."""
    ticket = (
        Ticket.objects.select_related("unit", "merged_into__unit")
        .filter(bureau_id=client.bureau_id, source=source, external_id=external_id)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def ticket_progress_for_client(client: IntegrationClient, *, source: str, external_id: str) -> dict:
    """The progress view (GET) in three queries, reading only the columns it shows: the work order with
    its tracks, its deadlines with their escalations, its timeline (a merged one: and its master)."""
    rows = _with_tracks(
        Ticket.objects.filter(bureau_id=client.bureau_id, source=source, external_id=external_id),
        "id",
        "external_id",
        "source",
        "kind",
        "received_at",
        "merged_into_id",
    )
    if not rows:
        raise Http404
    row = rows[0]
    # A merged work order shows its master's status, unit and outcome (merging is rare: one query more).
    master_rows = _with_tracks(Ticket.objects.filter(pk=row["merged_into_id"])) if row["merged_into_id"] else rows
    master = {column: master_rows[0][column] for column in MASTER_COLUMNS}
    tracks = None
    if master["status"] in OUTCOME_STATUSES:
        joined = [{column: r[f"tracks__{column}"] for column in TRACK_COLUMNS} for r in master_rows]
        tracks = [track for track in joined if track["track"] is not None]
    return _platform_view(row, master=master, tracks=tracks)


def _with_tracks(tickets, *columns: str) -> list[dict]:
    """The work order's columns and MASTER_COLUMNS, one row per track (one row of NULLs without any)."""
    return list(
        tickets.order_by("tracks__track").values(
            *columns, *MASTER_COLUMNS, *(f"tracks__{column}" for column in TRACK_COLUMNS)
        )
    )


def ticket_platform_view(ticket: Ticket, *, just_created: bool = False) -> dict:
    """The work order as the platform sees it; a merged one shows its master's status and outcome.

    `just_created`: the ticket comes from ticket_create in this request, which attached the clocks and the
    event it wrote; a work order that new has no escalation yet. Nothing is read back.
    """
    shown = ticket.merged_into if ticket.merged_into_id else ticket
    master = {
        "status": shown.status,
        "reply_text": shown.reply_text,
        "unit_id": shown.unit_id,
        "unit__code": shown.unit.code if shown.unit_id else None,
        "unit__name": shown.unit.name if shown.unit_id else None,
        "source": shown.source,
        "external_id": shown.external_id,
    }
    row = {
        "id": ticket.pk,
        "external_id": ticket.external_id,
        "source": ticket.source,
        "kind": ticket.kind,
        "received_at": ticket.received_at,
        "merged_into_id": ticket.merged_into_id,
    }
    tracks = None
    if master["status"] in OUTCOME_STATUSES:
        tracks = [{column: getattr(t, column) for column in TRACK_COLUMNS} for t in shown.tracks.all()]
    if just_created:
        deadlines = [_deadline(c) for c in ticket.clock_list]
        timeline = [
            {"code": e.code, "at": e.at}
            for e in ticket.event_list
            if not e.is_internal and e.code not in PLATFORM_HIDDEN_EVENTS
        ]
        return _platform_view(row, master=master, tracks=tracks, deadlines=(deadlines, []), events=timeline)
    return _platform_view(row, master=master, tracks=tracks)


def deadlines_and_escalations(ticket_id: int) -> tuple[list[dict], list[dict]]:
    """A work order's deadlines (by due time) and its escalations (by deadline, then tier): one query.

    The clocks are read with their escalations joined (a clock with none gives one row of NULLs), in the
    order both lists are answered in.
    """
    rows = (
        # the platform hears of the bureau's deadlines to it, not of an assisting unit's inside the bureau (协办)
        TicketClock.objects.filter(ticket_id=ticket_id, unit__isnull=True)
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


def _deadline(clock) -> dict:
    return {"clock": clock.clock, "due_at": clock.due_at, "status": clock.status, "met_at": clock.met_at}


def _platform_view(
    row: dict,
    *,
    master: dict,
    tracks: list[dict] | None,
    deadlines: tuple[list[dict], list[dict]] | None = None,
    events: list[dict] | None = None,
) -> dict:
    """The answer (PlatformTicketSerializer's fields) from the work order's columns; reads the deadlines,
    escalations and timeline unless given."""
    deadline_list, escalations = deadlines or deadlines_and_escalations(row["id"])
    if events is None:
        events = [
            {"code": code, "at": at}
            for code, at in TicketEvent.objects.filter(ticket_id=row["id"], is_internal=False)
            .exclude(code__in=PLATFORM_HIDDEN_EVENTS)
            .order_by("at", "id")
            .values_list("code", "at")
        ]
    outcome = None
    if tracks is not None:
        first = tracks[0] if tracks else None
        outcome = {
            "finding": first["finding"] if first else "",
            "reply": master["reply_text"],
            "case_number": next((t["case_number"] for t in tracks if t["case_number"]), ""),
            "tracks": tracks,
        }
    return {
        "id": row["id"],
        "external_id": row["external_id"],
        "source": row["source"],
        "kind": row["kind"],
        "status": master["status"],
        "received_at": row["received_at"],
        "unit": {"code": master["unit__code"], "name": master["unit__name"]} if master["unit_id"] else None,
        "deadlines": deadline_list,
        "escalations": escalations,
        "outcome": outcome,
        "merged_into": (
            {"source": master["source"], "external_id": master["external_id"]} if row["merged_into_id"] else None
        ),
        "events": events,
    }


def updates_for_client(client: IntegrationClient, *, after: int):
    return (
        StatusUpdate.objects.filter(
            ticket__bureau_id=client.bureau_id, ticket__source__in=PLATFORM_SOURCES, pk__gt=after
        )
        .select_related("ticket")
        .only("id", "status", "updated_at", "reply", "ticket__source", "ticket__external_id")
        .order_by("id")
    )
