"""The staff API's list filters. Minimal stand-in for tickets.filters.TicketFilter (the HTML list's), to be
unified at the merge: the API should use the very same FilterSet."""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from tickets.choices import Kind, Source, Status, Tag
from tickets.models import Ticket


class StaffTicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    unit = django_filters.CharFilter(field_name="unit__code", max_length=32)
    tag = django_filters.ChoiceFilter(choices=Tag.choices, method="filter_tag")
    q = django_filters.CharFilter(method="filter_text", max_length=100)

    class Meta:
        model = Ticket
        fields = ["status", "kind", "source", "unit", "tag", "q"]

    def filter_tag(self, queryset, name, value):
        # tags is a small JSON list; a text match on the quoted code works on SQLite and PostgreSQL alike
        return queryset.filter(tags__icontains=f'"{value}"')

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(external_id__icontains=value) | Q(title__icontains=value))

    @staticmethod
    def schema_parameters():
        return [
            OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values),
            OpenApiParameter("source", OpenApiTypes.STR, enum=Source.values),
            OpenApiParameter("unit", OpenApiTypes.STR, description="unit code"),
            OpenApiParameter("tag", OpenApiTypes.STR, enum=Tag.values),
            OpenApiParameter("q", OpenApiTypes.STR, description="work order number or title"),
        ]
