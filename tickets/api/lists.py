"""The staff API's lists of work orders: the search (the HTML list's FilterSet, an id cursor) and the work
lists of the screens (their order, offset pages)."""

from __future__ import annotations

from urllib.parse import unquote

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.response import Response

from core.api.schema import errors
from core.api.views import int_param
from reviews import selectors as review_selectors
from reviews.choices import Stage
from tickets import duplicates, selectors
from tickets.api import serializers as s
from tickets.api.base import StaffView
from tickets.api.filters import ticket_filter_parameters
from tickets.api.pagination import IdCursorPagination
from tickets.api.rows import row_values, staff_rows
from tickets.choices import AssistStatus
from tickets.filters import TicketApiFilter
from tickets.rows import ROW_FIELDS
from tickets.selectors import ticket_list_rows
from tickets.suggestions import SUGGESTION_FIELDS, suggestions_for_rows

INBOX_EXTRA_FIELDS = tuple(f for f in SUGGESTION_FIELDS if f not in ROW_FIELDS)

# A phone or ID number searched for goes in this header, not in `?q=` (docs/api.md): addresses are logged.
SEARCH_HEADER = "X-Hotline-Search"


class StaffTicketListView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_list",
        tags=["staff"],
        parameters=[
            *ticket_filter_parameters(),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter(
                SEARCH_HEADER,
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                description="the search text (as q, which it replaces), kept out of the address; percent-encoded",
            ),
            OpenApiParameter("limit", OpenApiTypes.INT),
        ],
        responses={200: s.StaffTicketPageSerializer, **errors(400)},
    )
    def get(self, request):
        self.check_perm("tickets.search_tickets")
        params = request.query_params
        searched = request.headers.get(SEARCH_HEADER, "").strip()
        if searched:
            # The search text in a header (percent-encoded when not ASCII) stays out of addresses and logs.
            params = params.copy()
            params["q"] = unquote(searched)
        filterset = TicketApiFilter(params, queryset=ticket_list_rows(request.user), request=request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        paginator = IdCursorPagination()
        page = paginator.paginate_queryset(row_values(filterset.qs), request, view=self)
        return paginator.get_paginated_response(staff_rows(page))


LIST_PARAMETERS = [
    OpenApiParameter("offset", OpenApiTypes.INT, description="rows to skip (0 or more)"),
    OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 200, default 50"),
]


def offset_page(request, queryset) -> tuple[list, str | None]:
    """One query: the lists keep their screens' order (nearest deadline, oldest first), so no id cursor here."""
    offset = int_param(request, "offset", default=0, low=0, high=2**31 - 1)
    limit = int_param(request, "limit", default=50, low=1, high=200)
    rows = list(queryset[offset : offset + limit + 1])
    next_url = None
    if len(rows) > limit:
        query = request.query_params.copy()
        query["offset"] = str(offset + limit)
        query["limit"] = str(limit)
        next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    return rows[:limit], next_url


class StaffTicketQueueView(StaffView):
    permission_name = ""

    def rows(self, request):
        raise NotImplementedError

    def get(self, request):
        self.check_perm(self.permission_name)
        page, next_url = offset_page(request, row_values(self.rows(request)))
        return Response({"results": staff_rows(page), "next": next_url})


def queue_schema(operation_id: str, description: str, extra=()):
    """A work list's GET in the schema (a class decorator)."""
    return extend_schema_view(
        get=extend_schema(
            operation_id=operation_id,
            tags=["staff"],
            description=description,
            parameters=[*extra, *LIST_PARAMETERS],
            responses={200: s.StaffTicketPageSerializer, **errors(400)},
        )
    )


@extend_schema_view(
    get=extend_schema(
        operation_id="staff_inbox",
        tags=["staff"],
        description="The dispatcher's inbox: received, not yet sent to a unit; oldest first. Each row carries "
        "the dispatch catalogue's suggested unit and its reason (null where there is none).",
        parameters=LIST_PARAMETERS,
        responses={200: s.StaffInboxPageSerializer, **errors(400)},
    )
)
class StaffInboxView(StaffTicketQueueView):
    permission_name = "tickets.view_inbox"

    def rows(self, request):
        return selectors.ticket_inbox_for_user(request.user)

    def get(self, request):
        self.check_perm(self.permission_name)
        # the page read with what the suggester reads: its suggestions without a second read of the page; its
        # possible duplicates in one query for the page (tickets.duplicates.proposals_of_rows)
        page, next_url = offset_page(request, self.rows(request).values(*ROW_FIELDS, *INBOX_EXTRA_FIELDS))
        results = staff_rows(page)
        suggestions = suggestions_for_rows(page)
        proposals = duplicates.proposals_of_rows(page)
        for row in results:
            suggestion = suggestions.get(row["id"])
            row["suggested_unit"] = suggestion.document() if suggestion is not None else None
            row["possible_duplicates"] = proposals[row["id"]]
        return Response({"results": results, "next": next_url})


@queue_schema("staff_my_work", "The handler's open work orders and those to sign for; nearest deadline first.")
class StaffMyWorkView(StaffTicketQueueView):
    permission_name = "tickets.view_my_work"

    def rows(self, request):
        return selectors.ticket_my_work(request.user)


@queue_schema("staff_unit_queue", "Every work order of the user's unit; nearest deadline first.")
class StaffUnitQueueView(StaffTicketQueueView):
    permission_name = "tickets.view_unit_queue"

    def rows(self, request):
        return selectors.ticket_unit_queue(request.user)


@queue_schema(
    "staff_pending_reviews",
    "Replies waiting for review (the user's own review work, or every one at `stage`); oldest first.",
    extra=[OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values)],
)
class StaffPendingReviewsView(StaffTicketQueueView):
    permission_name = "reviews.view_pending_reviews"

    def rows(self, request):
        stage = request.query_params.get("stage", "")
        if stage and stage not in Stage.values:
            raise exceptions.ValidationError({"stage": [f"One of: {', '.join(Stage.values)}."]})
        return review_selectors.pending_reviews_for_user(request.user, stage=stage)


def assisting_row(assist) -> dict:
    """One work order the unit assists: what the limited assisting page shows of it, and the unit's own clock."""
    ticket, clock = assist.ticket, assist.clock
    return {
        "id": ticket.pk,
        "source": ticket.source,
        "external_id": ticket.external_id,
        "kind": ticket.kind,
        "title": ticket.title,
        "status": ticket.status,
        "category": {"code": ticket.category.code, "name": ticket.category.name} if ticket.category_id else None,
        "received_at": ticket.received_at,
        "lead_unit": {"code": ticket.unit.code, "name": ticket.unit.name} if ticket.unit_id else None,
        "assist_status": assist.status,
        "requested_at": assist.requested_at,
        "due_at": assist.due_at,
        "answered_at": assist.answered_at,
        "released_at": assist.released_at,
        "clock": {"clock": clock.clock, "due_at": clock.due_at, "status": clock.status, "met_at": clock.met_at}
        if clock is not None
        else None,
    }


class StaffAssistingView(StaffView):
    @extend_schema(
        operation_id="staff_assisting_list",
        tags=["staff"],
        description=(
            "The work orders the user's unit assists (协办), with the unit's own answer clock; `state` `requested` "
            "(default: open work orders not yet answered, nearest due first), `done` or `released` (latest due "
            "first). Only the user's unit's; no personal data. The unit's staff (`tickets.view_unit_queue`)."
        ),
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=AssistStatus.values, description="default requested"),
            *LIST_PARAMETERS,
        ],
        responses={200: s.AssistingPageSerializer, **errors(400, 403)},
    )
    def get(self, request):
        self.check_perm("tickets.view_unit_queue")
        state = request.query_params.get("state") or AssistStatus.REQUESTED
        if state not in AssistStatus.values:
            raise exceptions.ValidationError({"state": [f"One of: {', '.join(AssistStatus.values)}."]})
        page, next_url = offset_page(request, selectors.assists_of_unit(request.user, state))
        rows = s.AssistingRowSerializer([assisting_row(assist) for assist in page], many=True).data
        return Response({"results": rows, "next": next_url})
