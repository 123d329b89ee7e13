"""A list row (tickets.rows.TicketRow) as the staff API shows it: StaffTicketRowSerializer's fields."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from tickets.rows import ROW_FIELDS, TicketRow, ticket_rows


def row_values(queryset) -> QuerySet:
    """A list's rows (from tickets.selectors' list queries, which annotate next_due_at) as dicts."""
    return queryset.values(*ROW_FIELDS)


def row_document(row: TicketRow) -> dict:
    """The row for StaffTicketRowSerializer (and the detail serializer that extends it): values, not JSON."""
    return {
        "id": row.pk,
        "source": row.source,
        "external_id": row.external_id,
        "kind": row.kind,
        "title": row.title,
        "status": row.status,
        "unit": {"code": row.unit_code, "name": row.unit_name} if row.unit_code is not None else None,
        "handler": row.handler_name if row.handler_id else None,
        "received_at": row.received_at,
        "next_due_at": row.next_due_at,
        "version": row.version,
    }


def staff_rows(values: list[dict]) -> list[dict]:
    """A page of row_values as the JSON StaffTicketRowSerializer gives for their row_documents.

    Not through the serializer's compiled fields (core.api.prebuilt): the values come from the database
    already as the fields give them (ints, choice codes, strings), so each field's to_representation gave
    back what it got, except the two times, shown in the current time zone; that zone is looked up once per
    list, not twice per row (a context-local lookup each time). tickets/tests/test_api_prebuilt.py compares
    both with the serializer.
    """
    zone = timezone.get_current_timezone()
    answers = []
    for row in ticket_rows(values):
        answer = row_document(row)
        answer["received_at"] = row.received_at.astimezone(zone).isoformat()
        if row.next_due_at is not None:
            answer["next_due_at"] = row.next_due_at.astimezone(zone).isoformat()
        answers.append(answer)
    return answers
