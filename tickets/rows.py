"""A work order as a row of a list: the one representation the HTML lists and the staff API's lists share.

A page is read with `.values(*ROW_FIELDS)` from tickets.selectors' list queries, not as model instances (a
ticket, its unit, category and handler: 200 objects a page, which cost more than the query); the unit's and
the handler's names come from org.selectors' per-process copies, once per page. `ticket_rows` turns those
values into TicketRows; the HTML table adds its labels and link (tickets.views.lists.rows_prepare), the staff
API writes them as JSON (tickets.api.rows).
"""

from __future__ import annotations

from collections.abc import Iterable

from org.selectors import staff_display_names, unit_labels
from tickets.models import Ticket

ROW_FIELDS = (
    "id",
    "external_id",
    "source",
    "kind",
    "status",
    "title",
    "tags",
    "received_at",
    "next_due_at",
    "category__name",
    "unit_id",
    "handler_id",
    "version",
)


class TicketRow:
    """One row of a list: the columns read, the names looked up, and (on the HTML lists) every value to print."""

    __slots__ = (
        "pk",  # the column id
        *(field.replace("__", "_") for field in ROW_FIELDS if field != "id"),
        "unit_code",
        "unit_name",
        "handler_name",
        # the HTML table's (rows_prepare)
        "detail_url",
        "source_label",
        "kind_label",
        "status_label",
        "tag_label_list",
        "due_css",
        "due_badge_css",
        "title_short",
        "received_label",
        "due_label",
    )

    @property
    def id(self) -> int:
        return self.pk


def ticket_rows(values: Iterable[dict]) -> list[TicketRow]:
    """Rows from `.values(*ROW_FIELDS)` dicts; the units and handlers named in one look-up for the page."""
    values = list(values)
    units = unit_labels({value["unit_id"] for value in values if value["unit_id"]})
    people = staff_display_names({value["handler_id"] for value in values if value["handler_id"]})
    rows = []
    for value in values:
        row = TicketRow()
        row.pk = value["id"]
        row.external_id, row.title, row.tags = value["external_id"], value["title"], value["tags"] or []
        row.source, row.kind, row.status = value["source"], value["kind"], value["status"]
        row.received_at, row.next_due_at = value["received_at"], value["next_due_at"]
        row.category_name = value["category__name"]
        row.unit_id, row.handler_id, row.version = value["unit_id"], value["handler_id"], value["version"]
        unit = units.get(row.unit_id)
        row.unit_code, row.unit_name = (unit["code"], unit["name"]) if unit else (None, "")
        row.handler_name = people.get(row.handler_id, "")
        rows.append(row)
    return rows


def ticket_row(ticket: Ticket) -> TicketRow:
    """The row of a work order already loaded whole (the staff API's detail)."""
    (row,) = ticket_rows(
        [
            {
                "id": ticket.pk,
                "external_id": ticket.external_id,
                "source": ticket.source,
                "kind": ticket.kind,
                "status": ticket.status,
                "title": ticket.title,
                "tags": ticket.tags,
                "received_at": ticket.received_at,
                "next_due_at": ticket.next_clock_due_at,
                "category__name": ticket.category.name if ticket.category_id else None,
                "unit_id": ticket.unit_id,
                "handler_id": ticket.handler_id,
                "version": ticket.version,
            }
        ]
    )
    return row
