"""Text similarity of work orders: the one facility behind duplicate proposals and the alerts' near-identical texts.

The measure: the Jaccard similarity of the texts' character trigram sets, after normalising (Unicode NFKC,
lower case, letters only: digits, punctuation and white space dropped, so that the same text with another date,
amount or order number is the same text). 1.0 is the same text, 0.0 shares no trigram.

The index: a text's trigrams are summarised by a one-permutation MinHash of `BINS` bins, and each pair of bins
(a band) is hashed to one 64-bit key (`TicketTextKey`, `BANDS` rows per work order, written at intake). Two texts
share a band key with probability about s² per band, so at a similarity of 0.6 they share at least one of the 12
with probability 0.995, at 0.8 practically always, while unrelated texts (s ≈ 0.1) almost never do. A search is
one range scan of a B-tree index per band key (bureau, key, received at), then the exact similarity of the
candidates' texts is computed here: the answer is the same on PostgreSQL and SQLite, and the index never decides
a match by itself (a candidate under the threshold is dropped). docs/duplicates.md says why not pg_trgm.

Pure functions up to `text_keys`; `text_keys_write` stores a work order's keys (tickets.services.intake calls it
in the intake transaction); `similar_texts` is the search.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models.expressions import RawSQL

N = 3  # characters per gram
BINS = 24
BANDS = BINS // 2
# Fewer letters than this after normalising is no text to compare ("请尽快处理" alone is no complaint).
MIN_LETTERS = 12
_MASK64 = (1 << 64) - 1


# Not a letter: white space, punctuation, symbols, digits, the underscore (a regular expression: ten times faster
# than asking each character's category; it keeps the rare numeric letters like Ⅻ that NFKC has not spelt out).
_NOT_LETTERS = re.compile(r"[\W\d_]+")


def normalised_text(content: str) -> str:
    """NFKC, lower case, letters only (Latin, CJK ideographs, kana ...)."""
    return _NOT_LETTERS.sub("", unicodedata.normalize("NFKC", content or "").lower())


# Texts whose grams are kept per process: a search verifies the newest work orders under its keys, and the next
# work order's search verifies mostly the same ones again (at 1,000,000 work orders ~170 texts a search, 80% of the
# CPU of a duplicate search: docs/bench.md, "Features at 1,000,000"). ~5 KB a text: ~10 MB at most.
GRAMS_KEPT = 2048


def grams(content: str) -> frozenset[str]:
    """The character trigrams of the normalised text; empty when it is shorter than MIN_LETTERS."""
    return _grams(content or "")


@functools.lru_cache(maxsize=GRAMS_KEPT)
def _grams(content: str) -> frozenset[str]:
    text = normalised_text(content)
    if len(text) < MIN_LETTERS:
        return frozenset()
    return frozenset([text[i : i + N] for i in range(len(text) - N + 1)])


def similarity(a: frozenset[str] | str, b: frozenset[str] | str) -> float:
    """Jaccard similarity of two texts (or their gram sets); 0.0 when either has no grams."""
    a = grams(a) if isinstance(a, str) else a
    b = grams(b) if isinstance(b, str) else b
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def _hash64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def text_keys(content: str | frozenset[str]) -> list[int]:
    """The BANDS band keys of a text (signed 64-bit, as the database stores them); [] for no text."""
    gram_set = grams(content) if isinstance(content, str) else content
    if not gram_set:
        return []
    bins: list[int | None] = [None] * BINS
    for gram in gram_set:
        h = _hash64(gram.encode())
        slot, value = h % BINS, h // BINS
        if bins[slot] is None or value < bins[slot]:
            bins[slot] = value
    # Densification: an empty bin borrows the nearest filled bin to its right (circularly), marked by the distance,
    # so that two texts agree on an empty bin about as often as on a filled one.
    filled = [i for i, v in enumerate(bins) if v is not None]
    dense = []
    for i, value in enumerate(bins):
        if value is None:
            j = next(k for k in filled + [f + BINS for f in filled] if k > i)
            value = (bins[j % BINS] + (j - i) * 0x9E3779B97F4A7C15) & _MASK64
        dense.append(value)
    keys = []
    for band in range(BANDS):
        raw = f"{band}:{dense[2 * band]}:{dense[2 * band + 1]}".encode()
        keys.append(int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big", signed=True))
    return keys


def text_keys_write(tickets: Iterable) -> int:
    """Store the band keys of work orders (ticket objects with pk, bureau_id, received_at, content)."""
    from tickets.models import TicketTextKey

    rows = [
        TicketTextKey(ticket_id=t.pk, bureau_id=t.bureau_id, received_at=t.received_at, key=key)
        for t in tickets
        for key in dict.fromkeys(text_keys(t.content))
    ]
    return len(TicketTextKey.objects.bulk_create(rows, batch_size=2000))


@dataclass(frozen=True)
class Similar:
    ticket_id: int
    score: float
    received_at: dt.datetime | None = None


# The most candidates one band key contributes, newest first: a template sent a thousand times gives the thousand
# the same keys, and the newest are the ones worth showing (and the cost stays bounded).
PER_KEY = 40


def similar_texts(
    *,
    bureau_id: int,
    content: str,
    start: dt.datetime,
    end: dt.datetime,
    threshold: float,
    exclude: Iterable[int] = (),
    restrict=None,
    limit: int = 20,
) -> list[Similar]:
    """Work orders of the bureau received in [start, end] whose text is at least `threshold` similar to `content`,
    most similar first (then newest). `restrict` is an optional Ticket queryset filter (a Q) on the candidates.
    On PostgreSQL one statement (the band keys' candidates as a subquery, their texts); elsewhere two."""
    gram_set = grams(content)
    texts = candidate_tickets(bureau_id=bureau_id, gram_set=gram_set, start=start, end=end, exclude=exclude)
    if texts is None:
        return []
    if restrict is not None:
        texts = texts.filter(restrict)
    return matches(gram_set, texts.values_list("pk", "content", "received_at"), threshold=threshold, limit=limit)


def candidate_tickets(*, bureau_id: int, gram_set: frozenset[str], start: dt.datetime, end: dt.datetime, exclude=()):
    """The work orders a text's band keys point at in the window (at most PER_KEY a key, the newest), as a Ticket
    queryset not yet run, or None when there are none to look at (no keys; elsewhere than on PostgreSQL, none found).
    PostgreSQL: the band keys' search is a subquery of it, so the candidates and their texts are one round trip
    (docs/bench.md, "Features at 1,000,000"); elsewhere the ids are found first (one query)."""
    from tickets.models import Ticket, TicketTextKey

    keys = list(dict.fromkeys(text_keys(gram_set)))
    if not keys:
        return None
    exclude = set(exclude)
    connection = connections[TicketTextKey.objects.db]
    if connection.vendor == "postgresql":
        table = TicketTextKey._meta.db_table
        sql, params = _candidates_sql(table, bureau_id=bureau_id, keys=keys, start=start, end=end)
        # placeholders only; the table name is the model's
        texts = Ticket.objects.filter(pk__in=RawSQL(sql, params))  # noqa: S611  # nosec B611
        return texts.exclude(pk__in=exclude) if exclude else texts
    candidates = _candidates(TicketTextKey, bureau_id=bureau_id, keys=keys, start=start, end=end)
    ids = {ticket_id for ticket_id in candidates if ticket_id not in exclude}
    return Ticket.objects.filter(pk__in=sorted(ids)) if ids else None


def matches(gram_set: frozenset[str], rows, *, threshold: float, limit: int) -> list[Similar]:
    """Of (id, text, received at) rows, those at least `threshold` similar to the text of `gram_set`: the exact
    measure, most similar first, then newest, at most `limit`."""
    found = []
    for pk, text, received_at in rows:
        score = similarity(gram_set, grams(text))
        if score >= threshold:
            found.append((-score, -received_at.timestamp(), pk, received_at))
    found.sort(key=lambda item: item[:3])
    return [Similar(ticket_id=pk, score=round(-score, 4), received_at=at) for score, _ts, pk, at in found[:limit]]


def _candidates_sql(table: str, *, bureau_id: int, keys: list[int], start: dt.datetime, end: dt.datetime):
    """PostgreSQL: the ticket ids under each band key in the window, at most PER_KEY a key, newest first (a LATERAL
    index range scan per key, each stopping at PER_KEY). Plain SQL with only placeholders (the table name is the
    model's): the ORM compiled twelve sliced queries slower than they ran."""
    return (
        "SELECT t.ticket_id FROM unnest(%s::bigint[]) AS k(key) CROSS JOIN LATERAL ("  # noqa: S608  # nosec B608
        f"SELECT ticket_id FROM {table} WHERE bureau_id = %s AND key = k.key "
        "AND received_at >= %s AND received_at <= %s ORDER BY received_at DESC LIMIT %s) t",
        [keys, bureau_id, start, end, PER_KEY],
    )


def _candidates(model, *, bureau_id: int, keys: list[int], start: dt.datetime, end: dt.datetime) -> list[int]:
    """The ticket ids under each band key in the window, at most PER_KEY a key, newest first, in one statement
    (_candidates_sql on PostgreSQL; elsewhere, no LATERAL, every row of the keys in the window, cut to PER_KEY a
    key here: the same answer)."""
    table = model._meta.db_table
    connection = connections[model.objects.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(*_candidates_sql(table, bureau_id=bureau_id, keys=keys, start=start, end=end))
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT key, ticket_id FROM {table} WHERE bureau_id = %s "  # noqa: S608  # nosec B608
            f"AND key IN ({', '.join(['%s'] * len(keys))}) AND received_at >= %s AND received_at <= %s "
            "ORDER BY received_at DESC, ticket_id DESC",
            [bureau_id, *keys, start, end],
        )
        taken: dict[int, int] = {}
        found = []
        for key, ticket_id in cursor.fetchall():
            if taken.get(key, 0) < PER_KEY:
                taken[key] = taken.get(key, 0) + 1
                found.append(ticket_id)
        return found
