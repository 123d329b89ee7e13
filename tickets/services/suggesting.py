"""Keeping the dispatch suggestion of the work orders waiting for their first dispatch (Ticket.dispatch_suggestion).

Intake keeps it with the insert (tickets.services.intake). When the catalogue changes, its suggestions change with
it: the dispatch app hands `tickets.keep_suggestions` the bureau after the commit, and beat runs it for every bureau
now and then (a broker that was down, work orders written in bulk). Until then a read whose kept suggestion no longer
matches works it out itself (tickets.suggestions): never a stale suggestion, only a slower page.
"""

from __future__ import annotations

from tickets.choices import Status
from tickets.models import Ticket
from tickets.suggestions import SUGGESTION_FIELDS, suggester

KEEP_BATCH = 500


def suggestions_keep(*, bureau_id: int | None = None, batch_size: int = KEEP_BATCH) -> int:
    """Keep the suggestion again for the waiting work orders (of a bureau, or all) whose kept one no longer
    matches them or the catalogue, or who have none. A batch: one read, the suggester's reads for each stale one,
    one bulk update. Returns how many were kept again."""
    suggest = suggester()
    if suggest is None:
        return 0
    waiting = Ticket.objects.filter(status=Status.RECEIVED).only(*SUGGESTION_FIELDS).order_by("pk")
    if bureau_id is not None:
        waiting = waiting.filter(bureau_id=bureau_id)
    done, last_pk = 0, 0
    while True:
        batch = list(waiting.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return done
        last_pk = batch[-1].pk
        # one work order at a time: a suggester may look at a whole list's window at once (dispatch.similar counts
        # the similar past work orders of a page in one query over the page's span), and what a work order keeps is
        # read on every page that shows it: its own twelve months exactly, as at intake
        kept = {}
        for ticket in batch:
            kept.update(suggest.kept([ticket], stale_only=True))
        changed = [ticket for ticket in batch if ticket.pk in kept]
        for ticket in changed:
            ticket.dispatch_suggestion = kept[ticket.pk]
        # this column alone: a work order dispatched meanwhile loses nothing (its suggestion is no longer read)
        Ticket.objects.bulk_update(changed, ["dispatch_suggestion"])
        done += len(changed)
