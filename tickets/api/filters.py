"""The staff API lists with tickets.filters.TicketFilter, the FilterSet of the HTML list: here only its schema."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from tickets.choices import Kind, Status, Tag


def ticket_filter_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
        OpenApiParameter("unit", OpenApiTypes.INT, description="unit id (one the user may choose)"),
        OpenApiParameter("category", OpenApiTypes.INT, description="category id"),
        OpenApiParameter("tag", OpenApiTypes.STR, enum=Tag.values),
        OpenApiParameter("due_before", OpenApiTypes.DATE, description="an open deadline falls before this day"),
        OpenApiParameter("overdue", OpenApiTypes.BOOL),
        OpenApiParameter("q", OpenApiTypes.STR, description="number, title, content or respondent"),
    ]
