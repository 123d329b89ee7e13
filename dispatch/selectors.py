"""Reads of the dispatch catalogue: the rows in force (kept per process), the staff pages' lists, the figures."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from audit.models import AuditRecord
from core.process_cache import ProcessCache
from dispatch.models import CatalogueRow
from org.models import User
from tickets.models import Category, TicketEvent


@dataclass(frozen=True)
class Entry:
    id: int
    category_id: int
    area: str
    lead_unit_id: int
    assisting_unit_ids: tuple[int, ...]
    effective_from: dt.date


@dataclass
class Catalogue:
    # bureau -> (category, area) -> versions, latest effective_from first
    versions: dict[int, dict[tuple[int, str], list[Entry]]]
    # bureau -> the areas its rows name, longest first (a ticket's address is matched against them)
    areas: dict[int, list[str]]
    # category -> its parent (the tree, for "any level of the tree"), and its name
    parents: dict[int, int | None]
    names: dict[int, str]
    # row id -> its entry (a kept suggestion names its row)
    by_id: dict[int, Entry]
    # bureau -> a fingerprint of its rows and the category tree: a suggestion kept under another stamp is worked out
    # again (tickets.suggestions); `stamp_of` for a bureau without rows
    stamps: dict[int, str]
    tree_stamp: str

    def stamp_of(self, bureau_id: int) -> str:
        return self.stamps.get(bureau_id, self.tree_stamp)


def _stamp(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def _load() -> Catalogue:
    assisting = defaultdict(list)
    for row_id, unit_id in CatalogueRow.assisting_units.through.objects.values_list("cataloguerow_id", "unit_id"):
        assisting[row_id].append(unit_id)
    versions: dict[int, dict[tuple[int, str], list[Entry]]] = defaultdict(lambda: defaultdict(list))
    areas: dict[int, set[str]] = defaultdict(set)
    for row in CatalogueRow.objects.order_by("-effective_from", "-id").values(
        "id", "bureau_id", "category_id", "area", "lead_unit_id", "effective_from"
    ):
        entry = Entry(
            id=row["id"],
            category_id=row["category_id"],
            area=row["area"],
            lead_unit_id=row["lead_unit_id"],
            assisting_unit_ids=tuple(sorted(assisting[row["id"]])),
            effective_from=row["effective_from"],
        )
        versions[row["bureau_id"]][(entry.category_id, entry.area)].append(entry)
        if entry.area:
            areas[row["bureau_id"]].add(entry.area)
    tree = list(Category.objects.order_by("id").values_list("id", "parent_id", "name"))
    tree_stamp = _stamp([(pk, parent) for pk, parent, _ in tree])
    return Catalogue(
        versions={bureau: dict(keys) for bureau, keys in versions.items()},
        areas={bureau: sorted(names, key=lambda name: (-len(name), name)) for bureau, names in areas.items()},
        parents={pk: parent for pk, parent, _ in tree},
        names={pk: name for pk, _, name in tree},
        by_id={entry.id: entry for keys in versions.values() for entries in keys.values() for entry in entries},
        stamps={bureau: _stamp(tree_stamp, sorted(keys.items())) for bureau, keys in versions.items()},
        tree_stamp=tree_stamp,
    )


# The whole catalogue, kept per process: a few hundred rows a bureau, read for every inbox page and dispatch.
catalogue: ProcessCache[Catalogue] = ProcessCache(_load, invalidated_by=[CatalogueRow, Category])


def category_chain(category_id: int | None, parents: dict[int, int | None]) -> list[int]:
    """The category and its ancestors, the category itself first (the most specific)."""
    chain = []
    while category_id is not None and category_id not in chain:
        chain.append(category_id)
        category_id = parents.get(category_id)
    return chain


def ticket_area(ticket, areas: list[str]) -> str:
    """The town or street of the catalogue named in the ticket's location, else in the respondent's address."""
    for address in (ticket.location_address, ticket.respondent_address):
        for area in areas:
            if address and area in address:
                return area
    return ""


def row_in_force(ticket) -> Entry | None:
    """The most specific catalogue row in force on the ticket's receipt day: the deepest category of the
    ticket's branch of the tree first, then a row for its town or street before one for anywhere; of a
    row's versions, the latest that took effect on or before that day."""
    from workdays.calendar import local_date

    book = catalogue.get()
    versions = book.versions.get(ticket.bureau_id)
    if not versions or ticket.category_id is None:
        return None
    area = ticket_area(ticket, book.areas.get(ticket.bureau_id, []))
    received_on = local_date(ticket.received_at)
    for category_id in category_chain(ticket.category_id, book.parents):
        for key in ((category_id, area), (category_id, "")) if area else ((category_id, ""),):
            for entry in versions.get(key, ()):
                if entry.effective_from <= received_on:
                    return entry
    return None


# ---------------------------------------------------------------- the staff pages


def bureau_of(user: User) -> int:
    if not user.is_authenticated or user.unit_id is None:
        raise Http404
    return user.unit.bureau_id


def catalogue_rows_for_user(user: User, *, category: Category | None = None, area: str = "") -> QuerySet:
    rows = CatalogueRow.objects.filter(bureau_id=bureau_of(user))
    if category is not None:
        rows = rows.filter(category__in=category_chain_down(category))
    if area:
        rows = rows.filter(area__icontains=area)
    return rows.select_related("category", "lead_unit", "changed_by").prefetch_related("assisting_units")


def category_chain_down(category: Category) -> list[int]:
    """The category and every category under it."""
    parents = catalogue.get().parents
    wanted = {category.pk}
    grew = True
    while grew:
        found = {pk for pk, parent in parents.items() if parent in wanted} - wanted
        wanted |= found
        grew = bool(found)
    return sorted(wanted)


def catalogue_row_for_user(user: User, pk: int) -> CatalogueRow:
    try:
        return catalogue_rows_for_user(user).get(pk=pk)
    except (CatalogueRow.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def in_force_ids(bureau_id: int, on: dt.date) -> set[int]:
    """The ids of the rows in force on a day (of each key, the latest version on or before it)."""
    ids = set()
    for entries in catalogue.get().versions.get(bureau_id, {}).values():
        for entry in entries:
            if entry.effective_from <= on:
                ids.add(entry.id)
                break
    return ids


def catalogue_changes_for_user(user: User) -> QuerySet:
    """Who changed which row when: the audit's records of the catalogue, of this bureau's rows."""
    from audit.choices import Action

    return AuditRecord.objects.filter(action=Action.CATALOGUE_CHANGED, data__bureau=bureau_of(user)).order_by(
        "-at", "-id"
    )


def suggestion_figures(user: User, *, since: dt.datetime) -> list[dict]:
    """Per category and month of dispatch: first dispatches that had a suggestion, and how many took it unchanged."""
    rows = (
        TicketEvent.objects.filter(
            code="dispatched", at__gte=since, ticket__bureau_id=bureau_of(user), data__has_key="suggested"
        )
        .annotate(month=TruncMonth("at"))
        .values("month", "ticket__category__name")
        .annotate(total=Count("id"), taken=Count("id", filter=Q(data__suggestion_taken=True)))
        .order_by("-month", "ticket__category__name")
    )
    return [
        {
            "month": row["month"],
            "category": row["ticket__category__name"] or "",
            "total": row["total"],
            "taken": row["taken"],
            "share": row["taken"] / row["total"] if row["total"] else 0.0,
        }
        for row in rows
    ]
