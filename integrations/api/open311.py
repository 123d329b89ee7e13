"""Open311 GeoReport v2 over Hotline: categories are services, work orders are service requests.

Keys: `api_key` (query or form parameter, as GeoReport says) or `Authorization: Token <key>`; both are an
integration client's key, scoped to its bureau. Errors use Hotline's one error format.
"""

from __future__ import annotations

import uuid

from django.urls import path
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.fields import AwareDateTimeField
from core.api.parsers import LimitedFormParser, LimitedJSONParser
from core.api.schema import errors
from integrations.api.views import PlatformView, coordinate
from integrations.authentication import IntegrationClientAuthentication
from integrations.models import ClientPrincipal
from integrations.services import integration_client_for_key
from tickets import services
from tickets.choices import OPEN_STATUSES, Kind, Source
from tickets.models import Category, Ticket
from tickets.selectors import category_active


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        key = request.query_params.get("api_key")
        if not key and request.method == "POST":
            data = request.data
            key = data.get("api_key") if hasattr(data, "get") else None
        if not key or not isinstance(key, str):
            return None
        client = integration_client_for_key(key)
        if client is None:
            raise exceptions.AuthenticationFailed("Unknown api_key.")
        return ClientPrincipal(client), client


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    metadata = serializers.BooleanField()
    type = serializers.CharField()
    keywords = serializers.CharField(allow_blank=True)
    group = serializers.CharField(allow_blank=True)


class ServiceRequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    status_notes = serializers.CharField()
    service_name = serializers.CharField(allow_blank=True)
    service_code = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    agency_responsible = serializers.CharField(allow_blank=True)
    service_notice = serializers.CharField(allow_blank=True)
    requested_datetime = AwareDateTimeField()
    updated_datetime = AwareDateTimeField()
    expected_datetime = AwareDateTimeField(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)


class ServiceRequestInSerializer(serializers.Serializer):
    api_key = serializers.CharField(max_length=100, required=False)
    service_code = serializers.SlugField(max_length=40)
    description = serializers.CharField(max_length=4000)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    long = serializers.FloatField(min_value=-180, max_value=180, required=False)
    address_string = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    first_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if not attrs.get("address_string") and ("lat" not in attrs or "long" not in attrs):
            raise serializers.ValidationError({"address_string": "Give a location: lat and long, or address_string."})
        return attrs


class ServiceRequestCreatedSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField(allow_blank=True)
    account_id = serializers.CharField(allow_null=True)


class Open311View(PlatformView):
    authentication_classes = [IntegrationClientAuthentication, ApiKeyAuthentication, SessionAuthentication]
    # GeoReport clients post forms; Django's multipart parser enforces the 1 MiB limit itself (413).
    parser_classes = [LimitedFormParser, MultiPartParser, LimitedJSONParser]


API_KEY = OpenApiParameter("api_key", OpenApiTypes.STR, description="an integration client's key")


def _as_request(ticket: Ticket) -> dict:
    return {
        "service_request_id": str(ticket.pk),
        "status": "open" if ticket.status in OPEN_STATUSES else "closed",
        "status_notes": ticket.status,
        "service_name": ticket.category.name if ticket.category_id else "",
        "service_code": ticket.category.code if ticket.category_id else "",
        "description": ticket.content,
        "agency_responsible": ticket.unit.name if ticket.unit_id else "",
        "service_notice": "",
        "requested_datetime": ticket.received_at,
        "updated_datetime": ticket.updated_at,
        "expected_datetime": ticket.next_due_at,
        "address": ticket.location_address,
        "lat": float(ticket.location_lat) if ticket.location_lat is not None else None,
        "long": float(ticket.location_lng) if ticket.location_lng is not None else None,
    }


def _requests(client):
    from django.db.models import Min, Q

    return (
        Ticket.objects.filter(bureau_id=client.bureau_id)
        .select_related("category", "unit")
        .annotate(next_due_at=Min("clocks__due_at", filter=Q(clocks__status="open", clocks__unit__isnull=True)))
        .order_by("-received_at", "-id")
    )


class ServiceListView(Open311View):
    @extend_schema(
        operation_id="open311_services",
        tags=["open311"],
        parameters=[API_KEY],
        responses={200: ServiceSerializer(many=True), **errors()},
    )
    def get(self, request):
        categories = Category.objects.filter(is_active=True).select_related("parent").order_by("code")
        body = [
            {
                "service_code": c.code,
                "service_name": c.name,
                "description": c.name,
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": c.parent.name if c.parent_id else "",
            }
            for c in categories
        ]
        return Response(ServiceSerializer(body, many=True).data)


class RequestListView(Open311View):
    @extend_schema(
        operation_id="open311_requests",
        tags=["open311"],
        parameters=[
            API_KEY,
            OpenApiParameter("service_request_id", OpenApiTypes.STR, description="comma-separated ids"),
            OpenApiParameter("service_code", OpenApiTypes.STR),
            OpenApiParameter("start_date", OpenApiTypes.DATETIME),
            OpenApiParameter("end_date", OpenApiTypes.DATETIME),
            OpenApiParameter("status", OpenApiTypes.STR, enum=["open", "closed"]),
        ],
        responses={200: ServiceRequestSerializer(many=True), **errors(400)},
    )
    def get(self, request):
        params = request.query_params
        rows = _requests(self.client)
        if params.get("service_request_id"):
            ids = [part.strip() for part in params["service_request_id"].split(",")][:100]
            if not all(part.isdigit() and len(part) < 18 for part in ids):
                raise exceptions.ValidationError({"service_request_id": ["Give ids separated by commas."]})
            rows = rows.filter(pk__in=[int(part) for part in ids])
        else:
            if params.get("service_code"):
                rows = rows.filter(category__code=params["service_code"][:40])
            start = _date_param(params, "start_date")
            end = _date_param(params, "end_date")
            if start:
                rows = rows.filter(received_at__gte=start)
            if end:
                rows = rows.filter(received_at__lte=end)
            status = params.get("status")
            if status not in (None, "", "open", "closed"):
                raise exceptions.ValidationError({"status": ["Use open or closed."]})
            if status == "open":
                rows = rows.filter(status__in=OPEN_STATUSES)
            elif status == "closed":
                rows = rows.exclude(status__in=OPEN_STATUSES)
            if not start and not end:
                # GeoReport: without dates, the last 90 days; at most 1000 requests.
                rows = rows.filter(received_at__gte=timezone.now() - timezone.timedelta(days=90))
        body = [_as_request(ticket) for ticket in rows[:1000]]
        return Response(ServiceRequestSerializer(body, many=True).data)

    @extend_schema(
        operation_id="open311_request_create",
        tags=["open311"],
        request={
            "application/x-www-form-urlencoded": ServiceRequestInSerializer,
            "multipart/form-data": ServiceRequestInSerializer,
            "application/json": ServiceRequestInSerializer,
        },
        responses={201: ServiceRequestCreatedSerializer(many=True), **errors(400, 413)},
    )
    def post(self, request):
        serializer = ServiceRequestInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        category = category_active(data["service_code"])
        if category is None:
            raise exceptions.ValidationError({"service_code": ["Unknown service_code."]})
        name = f"{data['last_name']}{data['first_name']}".strip()
        ticket = services.ticket_create(
            bureau=self.client.bureau,
            source=Source.HOTLINE_12345,
            external_id=f"O311-{uuid.uuid4().hex[:20]}",
            kind=Kind.COMPLAINT,
            content=data["description"],
            received_at=timezone.now(),
            category=category,
            complainant=services.Party(name=name, phone=data["phone"]),
            location_address=data["address_string"],
            location_lat=coordinate(data.get("lat")),
            location_lng=coordinate(data.get("long")),
        )
        body = [{"service_request_id": str(ticket.pk), "service_notice": "", "account_id": None}]
        return Response(ServiceRequestCreatedSerializer(body, many=True).data, status=201)


def _date_param(params, name):
    raw = params.get(name)
    if not raw:
        return None
    field = AwareDateTimeField()
    try:
        return field.to_internal_value(raw)
    except serializers.ValidationError as error:
        raise exceptions.ValidationError({name: error.detail}) from None


class RequestDetailView(Open311View):
    @extend_schema(
        operation_id="open311_request_detail",
        tags=["open311"],
        parameters=[API_KEY],
        responses={200: ServiceRequestSerializer(many=True), **errors(404)},
    )
    def get(self, request, pk: int):
        ticket = _requests(self.client).filter(pk=pk).first()
        if ticket is None:
            raise exceptions.NotFound()
        return Response(ServiceRequestSerializer([_as_request(ticket)], many=True).data)


urlpatterns = [
    path("services.json", ServiceListView.as_view(), name="services"),
    path("requests.json", RequestListView.as_view(), name="requests"),
    path("requests/<int:pk>.json", RequestDetailView.as_view(), name="request-detail"),
]


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "open311ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "query", "name": "api_key"}
