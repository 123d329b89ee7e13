"""The unit a work order should go to, as the dispatch catalogue suggests it (派单建议).

The catalogue is the `dispatch` app, above tickets: tickets names it only through the dotted path in
settings.HOTLINE_DISPATCH_SUGGESTER (a callable taking a list of tickets and giving {ticket id: Suggestion}),
as the ticket page names the review panel. No suggester configured: no suggestion, nothing breaks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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


_loaded: dict[str, Callable] = {}


def suggester() -> Callable[[list[Ticket]], dict[int, Suggestion]] | None:
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
    return suggest(tickets)


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
