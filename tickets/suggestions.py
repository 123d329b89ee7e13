"""The unit a work order should go to, as the dispatch catalogue suggests it (派单建议).

The catalogue is the `dispatch` app, above tickets: tickets names it only through the dotted path in
settings.HOTLINE_DISPATCH_SUGGESTER, as the ticket page names the review panel. It names a suggester (the
`Suggester` protocol below): `suggestions(tickets)` gives {ticket id: Suggestion}, using what a ticket keeps
(`Ticket.dispatch_suggestion`) where that is still true; `kept(tickets)` works the suggestion out afresh and gives,
for every ticket, what it keeps. Intake keeps it (tickets.services.intake), and tickets.services.suggestions_keep
keeps it again for the waiting work orders when the catalogue changes. No suggester configured: no suggestion,
nothing breaks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from tickets.models import Ticket

# What a suggester reads of a ticket: attributes of a Ticket, or of a SuggestionSubject made from a list's page
# values (the inbox reads these with its page).
SUGGESTION_FIELDS = (
    "id",
    "bureau_id",
    "category_id",
    "received_at",
    "location_address",
    "respondent_address",
    "business_id",
    "dispatch_suggestion",
)


@dataclass(frozen=True)
class Suggestion:
    unit_id: int
    unit_code: str
    unit_name: str
    basis: str  # "catalogue": a row of the catalogue; "similar": where similar past tickets went
    reason: str  # said to the dispatcher, in the request's language
    assisting_unit_ids: tuple[int, ...] = field(default=())
    row_id: int | None = None  # the catalogue row
    similar_count: int = 0

    def document(self) -> dict:
        """As the staff API shows it."""
        return {
            "unit": {"code": self.unit_code, "name": self.unit_name},
            "basis": self.basis,
            "reason": self.reason,
        }

    def recorded(self) -> dict:
        """As the dispatch event keeps it (codes, no prose)."""
        return {"unit": self.unit_code, "basis": self.basis, "row": self.row_id}


class Suggester(Protocol):
    def suggestions(self, tickets: list) -> dict[int, Suggestion]:
        """{ticket id: Suggestion} for the tickets it has one for: what a ticket keeps where that is still true,
        else worked out now."""

    def kept(self, tickets: list, *, stale_only: bool = False) -> dict[int, dict]:
        """{ticket id: what the ticket keeps} for every ticket (or only those whose kept one no longer matches them
        or the catalogue: `stale_only`), worked out now (a ticket without a suggestion keeps that too, so that it
        is not worked out again on every read)."""


_loaded: dict[str, Suggester] = {}


def suggester() -> Suggester | None:
    path = getattr(settings, "HOTLINE_DISPATCH_SUGGESTER", "")
    if not path:
        return None
    if path not in _loaded:
        _loaded[path] = import_string(path)
    return _loaded[path]


def suggestions_for(tickets: Iterable[Ticket]) -> dict[int, Suggestion]:
    """{ticket id: Suggestion} for the tickets a suggester has one for (none when none is configured)."""
    suggest = suggester()
    tickets = list(tickets)
    if suggest is None or not tickets:
        return {}
    return suggest.suggestions(tickets)


def kept_for(tickets: Iterable[Ticket]) -> dict[int, dict]:
    """{ticket id: what Ticket.dispatch_suggestion keeps}, worked out afresh ({} when no suggester is configured).
    Works for a ticket not yet saved (intake keeps it with the insert): it is then found under None."""
    suggest = suggester()
    tickets = list(tickets)
    if suggest is None or not tickets:
        return {}
    return suggest.kept(tickets)


def suggestion_for(ticket: Ticket) -> Suggestion | None:
    return suggestions_for([ticket]).get(ticket.pk)


def suggestions_for_ids(ids: Iterable[int]) -> dict[int, Suggestion]:
    """For ids alone: one query for what the suggester reads (a list that read SUGGESTION_FIELDS with its page
    passes its rows to suggestions_for_rows instead, and saves that query)."""
    ids = list(ids)
    if not ids or suggester() is None:
        return {}
    return suggestions_for(Ticket.objects.filter(pk__in=ids).only(*SUGGESTION_FIELDS))


class SuggestionSubject:
    """What a suggester reads of a ticket (SUGGESTION_FIELDS), from a list's page values: no model instance, no
    second read of the page's work orders."""

    __slots__ = SUGGESTION_FIELDS

    def __init__(self, values: dict):
        for name in SUGGESTION_FIELDS:
            setattr(self, name, values[name])

    @property
    def pk(self) -> int:
        return self.id


def suggestions_for_rows(values: Iterable[dict]) -> dict[int, Suggestion]:
    """For a list's page read with SUGGESTION_FIELDS among its values (the inbox): the suggester gets those
    rows as they are, without reading the work orders again."""
    if suggester() is None:
        return {}
    return suggestions_for(SuggestionSubject(value) for value in values)
