"""Possible duplicates (并单 proposals): which open work orders a work order may repeat (docs/duplicates.md).

Within HOTLINE_DUPLICATE_WINDOW_DAYS of each other's receipt, in the same bureau, open and not merged:
- `complainant`: the same complainant (phone, or ID number) on the same matter;
- `business`: the same business (the same `Business` row: the same credit code, or the same normalised name,
  tickets.names, found by `business_lookup`) on the same matter;
- `text`: near-identical texts (tickets.similarity at HOTLINE_DUPLICATE_TEXT_SIMILARITY_PERCENT), whatever the
  matter.
"The same matter" is the same category when both have one (an unclassified work order matches any).

`duplicate_candidates` works them out for one work order, saved or not (the intake screen asks before saving);
intake stores them (tickets.services.merging.proposals_record) and `proposals_for` reads the stored ones of a
page of work orders in one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.db.models import Count, F, Q

from tickets import similarity
from tickets.choices import OPEN_STATUSES
from tickets.models import Business, DuplicateProposal, Ticket
from tickets.names import business_name_key

# The most proposals kept for one work order (the most similar or newest first).
MAX_PROPOSALS = 10


@dataclass
class Proposal:
    ticket_id: int
    reasons: list[str] = field(default_factory=list)
    score: float | None = None  # the text similarity, when the texts are near-identical
    received_at: dt.datetime | None = None


def window() -> dt.timedelta:
    return dt.timedelta(days=settings.HOTLINE_DUPLICATE_WINDOW_DAYS)


def text_threshold() -> float:
    return settings.HOTLINE_DUPLICATE_TEXT_SIMILARITY_PERCENT / 100


def mergeable() -> Q:
    """The work orders another may be merged into or proposed as a duplicate of: open, not merged themselves."""
    return Q(status__in=sorted(OPEN_STATUSES), merged_into__isnull=True)


def business_lookup(name: str, credit_code: str) -> Business | None:
    """The business a respondent names, if it is known: by its credit code when one is given, else by its normalised
    name (tickets.names.business_name_key): the one business of that name without a code, else the one with a
    code when exactly one has it (two companies of one normalised name with their own codes: neither). One query."""
    name, credit_code = (name or "").strip(), (credit_code or "").strip().upper()
    if credit_code:
        return Business.objects.filter(credit_code=credit_code).first()
    key = business_name_key(name)
    if not key:
        return None
    # no code first, then the lowest id: the rows of a name are few
    rows = list(Business.objects.filter(name_key=key).order_by(F("credit_code").asc(), "pk")[:3])
    if rows and not rows[0].credit_code:
        return rows[0]
    return rows[0] if len(rows) == 1 else None


def business_id_for(name: str, credit_code: str) -> int | None:
    """The business a respondent names, without creating it (intake's business_for creates it)."""
    business = business_lookup(name, credit_code)
    return business.pk if business else None


def duplicate_candidates(ticket: Ticket, *, limit: int = MAX_PROPOSALS) -> list[Proposal]:
    """The possible duplicates of a work order (saved or not). Near-identical texts first (most similar first), then
    the newest. On PostgreSQL one statement: the same complainant's or business's work orders on the same matter
    (the newest limit * 3) and the band keys' candidates for a near-identical text, UNION ALL; elsewhere three."""
    start, end = ticket.received_at - window(), ticket.received_at + window()
    base = Ticket.objects.filter(mergeable(), bureau_id=ticket.bureau_id, received_at__gte=start, received_at__lte=end)
    if ticket.pk:
        base = base.exclude(pk=ticket.pk)
    party = Q()
    if ticket.complainant_phone:
        party |= Q(complainant_phone=ticket.complainant_phone)
    if ticket.complainant_id_number:
        party |= Q(complainant_id_number=ticket.complainant_id_number)
    if ticket.business_id:
        party |= Q(business_id=ticket.business_id)
    parts = []
    if party:
        same_matter = base.filter(party)
        if ticket.category_id:
            same_matter = same_matter.filter(Q(category_id=ticket.category_id) | Q(category__isnull=True))
        parts.append(same_matter.order_by("-received_at", "-pk").values_list(*_FIELDS)[: limit * 3])
    gram_set = similarity.grams(ticket.content)
    texts = similarity.candidate_tickets(
        bureau_id=ticket.bureau_id, gram_set=gram_set, start=start, end=end, exclude=[ticket.pk] if ticket.pk else []
    )
    if texts is not None:
        parts.append(texts.filter(mergeable()).order_by().values_list(*_FIELDS))
    if not parts:
        return []
    if len(parts) == 2 and connections[Ticket.objects.db].features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(parts[1], all=True))
    else:
        rows = [row for part in parts for row in part]
    return _proposals(ticket, rows, gram_set, limit=limit)


# what a candidate row carries: its party and matter (the complainant and business reasons), its text
_FIELDS = ("pk", "complainant_phone", "complainant_id_number", "business_id", "category_id", "content", "received_at")


def _proposals(ticket: Ticket, rows, gram_set: frozenset[str], *, limit: int) -> list[Proposal]:
    """The reasons of each candidate row (each work order once): the same complainant or business on the same
    matter, and a near-identical text by the exact measure."""
    found: dict[int, Proposal] = {}
    seen = set()
    threshold = text_threshold()
    for pk, phone, id_number, business_id, category_id, content, received_at in rows:
        if pk in seen:
            continue
        seen.add(pk)
        reasons = []
        if not ticket.category_id or category_id is None or category_id == ticket.category_id:
            if (phone and phone == ticket.complainant_phone) or (
                id_number and id_number == ticket.complainant_id_number
            ):
                reasons.append("complainant")
            if business_id and business_id == ticket.business_id:
                reasons.append("business")
        score = similarity.similarity(gram_set, similarity.grams(content)) if gram_set else 0.0
        if score >= threshold:
            reasons.append("text")
        if reasons:
            found[pk] = Proposal(pk, reasons, round(score, 4) if "text" in reasons else None, received_at)
    # the most similar first, then the newest (a text match's ties by id, as tickets.similarity orders them; the
    # same complainant's or business's newest first, as their query reads them)
    ordered = sorted(
        found.values(),
        key=lambda p: (
            p.score is None,
            -(p.score or 0),
            -p.received_at.timestamp(),
            p.ticket_id if p.score is not None else -p.ticket_id,
        ),
    )
    return ordered[:limit]


def proposals_of_rows(values: list[dict]) -> dict[int, list[int]]:
    """proposals_for for a page of rows read as values (one query for the page). Not a column of the page's own
    query: a correlated subquery in the page query's SELECT is evaluated for every row the OFFSET skips too (the
    inbox's newest page at 1,000,000 work orders: 1,592 subqueries for 42 rows, 85 ms, and JIT on top)."""
    return proposals_for([value["id"] for value in values])


def proposals_for(ticket_ids: list[int]) -> dict[int, list[int]]:
    """The stored proposals of these work orders still worth showing (the other one open and not merged, as the
    proposal keeps it: DuplicateProposal.duplicate_open), in one query of the proposals' own index (not the work
    orders' table, which costs more to plan than the proposals cost to read): work order id -> the ids of its
    possible duplicates, lowest first."""
    result: dict[int, list[int]] = {pk: [] for pk in ticket_ids}
    if not ticket_ids:
        return result
    rows = (
        DuplicateProposal.objects.filter(ticket_id__in=ticket_ids, duplicate_open=True)
        .order_by("ticket_id", "duplicate_id")
        .values_list("ticket_id", "duplicate_id")
    )
    for ticket_id, duplicate_id in rows:
        result[ticket_id].append(duplicate_id)
    return result


def proposal_counts_of_rows(values: list[dict]) -> dict[int, int]:
    """How many possible duplicates each row of a page has (what proposals_for would list), counted by the database
    in one query: the inbox's page shows the number alone (a work order of a cluster has dozens; the generator's at
    1,000,000 work orders, 47 a row on the newest page)."""
    ids = [value["id"] for value in values]
    if not ids:
        return {}
    rows = (
        DuplicateProposal.objects.filter(ticket_id__in=ids, duplicate_open=True)
        .values("ticket_id")
        .annotate(n=Count("duplicate_id"))
        .order_by()
        .values_list("ticket_id", "n")
    )
    return dict(rows)
