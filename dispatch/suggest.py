"""The suggestion (派单建议): the catalogue's most specific row in force at receipt, else where similar past
tickets went. settings.HOTLINE_DISPATCH_SUGGESTER names `suggester` (the protocol is tickets.suggestions.Suggester).

A work order keeps its suggestion (Ticket.dispatch_suggestion, worked out at intake and again when the catalogue
changes) in this form: {"key": ..., "unit": unit id or None, "basis": "catalogue"|"similar", "row": catalogue row id,
"count": similar tickets}. The key is a fingerprint of what it was worked out from: the work order's category,
business and addresses, and the bureau's catalogue (dispatch.selectors.Catalogue.stamp_of). A read whose key differs
(the work order was changed, the catalogue was changed and the waiting work orders not yet kept again) works the
suggestion out again; the reason shown is always written at read time, in the reader's language.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext

from dispatch import selectors
from org.selectors import unit_labels
from tickets.suggestions import Suggestion

SIMILAR_SINCE_DAYS = 365


def similar_finder():
    return import_string(settings.HOTLINE_DISPATCH_SIMILAR_FINDER)


def kept_key(ticket, book: selectors.Catalogue) -> str:
    """The fingerprint a kept suggestion must carry to be used for this ticket under this catalogue."""
    parts = (
        book.stamp_of(ticket.bureau_id),
        ticket.category_id,
        ticket.business_id,
        ticket.location_address or "",
        ticket.respondent_address or "",
    )
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def _work_out(tickets: list) -> dict:
    """{ticket: (basis, value)} for the tickets the catalogue or their similar past tickets speak for (keyed by
    the ticket itself: intake asks for one not yet saved)."""
    found: dict = {}
    silent = []
    for ticket in tickets:
        entry = selectors.row_in_force(ticket)
        if entry is not None:
            found[id(ticket)] = ("catalogue", entry)
        else:
            silent.append(ticket)
    if silent:
        by_pk = {ticket.pk: ticket for ticket in silent}
        for pk, units in similar_finder()(silent, since_days=SIMILAR_SINCE_DAYS).items():
            if units and pk in by_pk:
                found[id(by_pk[pk])] = ("similar", units[0])
    return found


def _from_kept(kept: dict, book: selectors.Catalogue) -> tuple | None:
    """A kept suggestion as (basis, value), as _work_out gives them; None when it names nothing."""
    if kept.get("unit") is None:
        return None
    if kept.get("basis") == "catalogue":
        entry = book.by_id.get(kept.get("row"))
        return ("catalogue", entry) if entry is not None else None
    return ("similar", (kept["unit"], kept.get("count", 0)))


class CatalogueSuggester:
    def suggestions(self, tickets: list) -> dict[int, Suggestion]:
        """{ticket id: Suggestion}: the kept suggestion where its key still matches, else worked out now (an inbox
        page whose work orders all keep theirs reads nothing but the per-process catalogue and unit names)."""
        book = selectors.catalogue.get()
        found: dict[int, tuple] = {}
        stale = []
        for ticket in tickets:
            kept = ticket.dispatch_suggestion
            if kept and kept.get("key") == kept_key(ticket, book):
                value = _from_kept(kept, book)
                if value is not None:
                    found[ticket.pk] = value
            else:
                stale.append(ticket)
        if stale:
            by_id = {id(ticket): ticket.pk for ticket in stale}
            found.update((by_id[key], value) for key, value in _work_out(stale).items())
        return _answers(found, book)

    def kept(self, tickets: list, *, stale_only: bool = False) -> dict[int, dict]:
        """{ticket id: what Ticket.dispatch_suggestion keeps}, worked out now, for every ticket (`stale_only`: for
        those whose kept one does not carry the key it would have now)."""
        book = selectors.catalogue.get()
        if stale_only:
            tickets = [t for t in tickets if (t.dispatch_suggestion or {}).get("key") != kept_key(t, book)]
        found = _work_out(tickets)
        result = {}
        for ticket in tickets:
            basis, value = found.get(id(ticket), (None, None))
            kept = {"key": kept_key(ticket, book), "unit": None}
            if basis == "catalogue":
                kept.update(unit=value.lead_unit_id, basis=basis, row=value.id)
            elif basis == "similar":
                kept.update(unit=value[0], basis=basis, count=value[1])
            result[ticket.pk] = kept
        return result


suggester = CatalogueSuggester()


def _answers(found: dict[int, tuple], book: selectors.Catalogue) -> dict[int, Suggestion]:
    ids = set()
    for basis, value in found.values():
        ids |= {value.lead_unit_id, *value.assisting_unit_ids} if basis == "catalogue" else {value[0]}
    labels = unit_labels(ids)
    names = book.names
    # translated once for the page, not once a row (an inbox page: 50 rows)
    catalogue_reason = gettext("catalogue row: %(category)s · %(area)s, in force from %(date)s")
    anywhere = gettext("anywhere")
    answers = {}
    for pk, (basis, value) in found.items():
        if basis == "catalogue":
            unit = labels.get(value.lead_unit_id)
            if unit is None:
                continue
            reason = catalogue_reason % {
                "category": names.get(value.category_id, ""),
                "area": value.area or anywhere,
                "date": value.effective_from.isoformat(),
            }
            answers[pk] = Suggestion(
                unit_id=value.lead_unit_id,
                unit_code=unit["code"],
                unit_name=unit["name"],
                basis="catalogue",
                reason=reason,
                assisting_unit_ids=tuple(i for i in value.assisting_unit_ids if i in labels),
                row_id=value.id,
            )
        else:
            unit_id, count = value
            unit = labels.get(unit_id)
            if unit is None:
                continue
            reason = ngettext(
                "%(count)s similar ticket went to %(unit)s", "%(count)s similar tickets went to %(unit)s", count
            ) % {"count": count, "unit": unit["name"]}
            answers[pk] = Suggestion(
                unit_id=unit_id,
                unit_code=unit["code"],
                unit_name=unit["name"],
                basis="similar",
                reason=reason,
                similar_count=count,
            )
    return answers
