"""The suggestion (派单建议): the catalogue's most specific row in force at receipt, else where similar past
tickets went. settings.HOTLINE_DISPATCH_SUGGESTER names `suggestions` for tickets (tickets.suggestions)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext

from dispatch import selectors
from org.selectors import unit_labels
from tickets.suggestions import Suggestion

SIMILAR_SINCE_DAYS = 365


def similar_finder():
    return import_string(settings.HOTLINE_DISPATCH_SIMILAR_FINDER)


def suggestions(tickets: list) -> dict[int, Suggestion]:
    """{ticket id: Suggestion} for tickets the catalogue or their similar past tickets speak for."""
    found: dict[int, tuple] = {}
    silent = []
    for ticket in tickets:
        entry = selectors.row_in_force(ticket)
        if entry is not None:
            found[ticket.pk] = ("catalogue", entry)
        else:
            silent.append(ticket)
    if silent:
        for pk, units in similar_finder()(silent, since_days=SIMILAR_SINCE_DAYS).items():
            if units:
                found[pk] = ("similar", units[0])
    ids = set()
    for basis, value in found.values():
        ids |= {value.lead_unit_id, *value.assisting_unit_ids} if basis == "catalogue" else {value[0]}
    labels = unit_labels(ids)
    names = selectors.catalogue.get().names
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
