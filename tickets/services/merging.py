"""Merging duplicates (并单): the proposals stored at intake, merging a work order under a master, splitting it off.

docs/duplicates.md describes what a merge does to the merged work order's status, reply, clocks and platform.
"""

from __future__ import annotations

from django.utils import timezone

from tickets.duplicates import duplicate_candidates
from tickets.models import DuplicateProposal, Ticket


def proposals_record(ticket: Ticket) -> list[DuplicateProposal]:
    """Store a new work order's possible duplicates, both ways (the older work order shows the new one too)."""
    now = timezone.now()
    rows = []
    for proposal in duplicate_candidates(ticket):
        found = {"reasons": ",".join(proposal.reasons), "score": proposal.score, "found_at": now}
        rows.append(DuplicateProposal(ticket_id=ticket.pk, duplicate_id=proposal.ticket_id, **found))
        rows.append(DuplicateProposal(ticket_id=proposal.ticket_id, duplicate_id=ticket.pk, **found))
    return DuplicateProposal.objects.bulk_create(rows, ignore_conflicts=True)


def text_keys_backfill(*, batch_size: int = 5000) -> int:
    """Write the text keys of every work order without any (in id order, a transaction per batch). Returns how many
    work orders were indexed (a text too short to compare has no keys and is looked at again next time)."""
    from django.db import transaction

    from tickets import similarity
    from tickets.models import TicketTextKey

    done = 0
    last_pk = 0
    while True:
        batch = list(
            Ticket.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "bureau_id", "received_at", "content")[:batch_size]
        )
        if not batch:
            return done
        last_pk = batch[-1].pk
        ids = [t.pk for t in batch]
        indexed = set(TicketTextKey.objects.filter(ticket_id__in=ids).values_list("ticket_id", flat=True).distinct())
        todo = [t for t in batch if t.pk not in indexed]
        with transaction.atomic():
            similarity.text_keys_write(todo)
        done += len(todo)
