"""Cluster alerts in the staff API (/api/v1/staff/alerts/...): the pages' selectors, services and permissions.

- GET  alerts/                  the list (alerts.view_alerts): the page's order, `kind`, `status`, offset pages
- GET  alerts/{id}/             one alert with its units (404: not visible, as the page)
- GET  alerts/{id}/tickets/     its linked work orders the user may open, with when each joined
- POST alerts/{id}/consult/     the consultation and the unified reply line (alerts.consult_alert)
- POST alerts/{id}/close/       closing (alerts.consult_alert)

Included by the root urls under the staff API's namespace (hotline/urls.py): tickets imports nothing of alerts.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from alerts import selectors, services
from alerts.choices import AlertKind, AlertStatus
from alerts.models import ClusterAlert
from core.api.schema import errors
from core.api.views import json_object
from tickets.api.base import StaffView
from tickets.api.lists import LIST_PARAMETERS, offset_page
from tickets.masking import masked

# ---------------------------------------------------------------- the documents (the schema's; built by hand below)

TIME_FIELDS = ("opened_at", "first_ticket_at", "last_ticket_at", "consulted_at", "closed_at")


class AlertRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AlertKind.choices)
    label = serializers.CharField(help_text="what the alert is about: the business, the masked phone, the text's start")
    status = serializers.ChoiceField(choices=AlertStatus.choices)
    ticket_count = serializers.IntegerField()
    opened_at = serializers.DateTimeField()
    first_ticket_at = serializers.DateTimeField()
    last_ticket_at = serializers.DateTimeField()
    consulted_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class AlertPageSerializer(serializers.Serializer):
    results = AlertRowSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class AlertUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    added_at = serializers.DateTimeField()


class AlertDetailSerializer(AlertRowSerializer):
    reply_line = serializers.CharField(allow_blank=True, help_text="the unified reply line (统一口径), once consulted")
    consultation_note = serializers.CharField(allow_blank=True)
    consulted_by = serializers.CharField(allow_null=True)
    closed_by = serializers.CharField(allow_null=True)
    units = AlertUnitSerializer(many=True)


class AlertTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    joined_at = serializers.DateTimeField(help_text="when the work order joined the alert")
    unit = serializers.CharField(allow_null=True, help_text="the unit's name")
    complainant_name = serializers.CharField(help_text="masked")
    complainant_phone = serializers.CharField(help_text="masked")


class AlertTicketPageSerializer(serializers.Serializer):
    results = AlertTicketSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class ConsultInSerializer(serializers.Serializer):
    reply_line = serializers.CharField(max_length=5000, help_text="the unified reply line (统一口径), required")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


def _time(value, zone):
    return value.astimezone(zone).isoformat() if value is not None else None


def alert_rows(values: list[dict]) -> list[dict]:
    """A page of alert values as AlertRowSerializer gives them (the values are already ints and codes; only the
    times are formatted, in the current time zone looked up once)."""
    zone = timezone.get_current_timezone()
    rows = []
    for row in values:
        answer = {name: row[name] for name in ("id", "kind", "label", "status", "ticket_count")}
        for name in TIME_FIELDS:
            answer[name] = _time(row[name], zone)
        rows.append(answer)
    return rows


def alert_document(alert: ClusterAlert) -> dict:
    zone = timezone.get_current_timezone()
    row = alert_rows(
        [{name: getattr(alert, name) for name in ("id", "kind", "label", "status", "ticket_count", *TIME_FIELDS)}]
    )[0]
    return row | {
        "reply_line": alert.reply_line,
        "consultation_note": alert.consultation_note,
        "consulted_by": alert.consulted_by.display_name if alert.consulted_by_id else None,
        "closed_by": alert.closed_by.display_name if alert.closed_by_id else None,
        "units": [
            {"code": item.unit.code, "name": item.unit.name, "added_at": _time(item.added_at, zone)}
            for item in selectors.alert_units(alert)
        ],
    }


# ---------------------------------------------------------------- the views


def _choice_param(request, name: str, choices) -> str:
    value = request.query_params.get(name, "")
    if value and value not in choices.values:
        raise exceptions.ValidationError({name: [f"One of: {', '.join(choices.values)}."]})
    return value


class StaffAlertListView(StaffView):
    @extend_schema(
        operation_id="staff_alert_list",
        tags=["staff"],
        description="Cluster alerts the user may see, open first, then consulted, then closed; latest activity first.",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=AlertKind.values),
            OpenApiParameter("status", OpenApiTypes.STR, enum=AlertStatus.values),
            *LIST_PARAMETERS,
        ],
        responses={200: AlertPageSerializer, **errors(400)},
    )
    def get(self, request):
        self.check_perm("alerts.view_alerts")
        alerts = selectors.alert_list_for_user(
            request.user,
            kind=_choice_param(request, "kind", AlertKind),
            status=_choice_param(request, "status", AlertStatus),
        )
        page, next_url = offset_page(
            request, alerts.values("id", "kind", "label", "status", "ticket_count", *TIME_FIELDS)
        )
        return Response({"results": alert_rows(page), "next": next_url})


class StaffAlertDetailView(StaffView):
    @extend_schema(
        operation_id="staff_alert_detail",
        tags=["staff"],
        responses={200: AlertDetailSerializer, **errors(404)},
    )
    def get(self, request, pk: int):
        self.check_perm("alerts.view_alerts")
        return Response(alert_document(selectors.alert_get_for_user(request.user, pk)))


class StaffAlertTicketsView(StaffView):
    @extend_schema(
        operation_id="staff_alert_tickets",
        tags=["staff"],
        description="The alert's linked work orders the user may open (a unit's leaders: their unit's), newest "
        "received first, with when each joined the alert; personal data masked.",
        parameters=LIST_PARAMETERS,
        responses={200: AlertTicketPageSerializer, **errors(400, 404)},
    )
    def get(self, request, pk: int):
        self.check_perm("alerts.view_alerts")
        alert = selectors.alert_get_for_user(request.user, pk)
        page, next_url = offset_page(request, selectors.alert_tickets_for_user(request.user, alert))
        zone = timezone.get_current_timezone()
        results = [
            {
                "id": ticket.pk,
                "external_id": ticket.external_id,
                "title": ticket.title,
                "status": ticket.status,
                "received_at": _time(ticket.received_at, zone),
                "joined_at": _time(ticket.joined_at, zone),
                "unit": ticket.unit.name if ticket.unit_id else None,
                "complainant_name": masked(ticket, "complainant_name"),
                "complainant_phone": masked(ticket, "complainant_phone"),
            }
            for ticket in page
        ]
        return Response({"results": results, "next": next_url})


class StaffAlertSectionView(StaffView):
    """A step of the section on an alert: 404 when the user may not see it, 403 without alerts.consult_alert."""

    def alert_for_section(self, request, pk: int) -> ClusterAlert:
        self.check_perm("alerts.view_alerts")
        alert = selectors.alert_get_for_user(request.user, pk)
        self.check_perm("alerts.consult_alert", alert)
        return alert

    def answer(self, request, alert: ClusterAlert) -> Response:
        return Response(alert_document(selectors.alert_get_for_user(request.user, alert.pk)))


class StaffAlertConsultView(StaffAlertSectionView):
    @extend_schema(
        operation_id="staff_alert_consult",
        tags=["staff"],
        description="Record the consultation (会商) and the unified reply line (统一口径): every linked work order's "
        "timeline gets it. Again on a consulted alert: the new line replaces the old. A closed alert: 409.",
        request=ConsultInSerializer,
        responses={200: AlertDetailSerializer, **errors(400, 404, 409, 413)},
    )
    def post(self, request, pk: int):
        alert = self.alert_for_section(request, pk)
        serializer = ConsultInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.alert_consult(alert, actor=request.user, reply_line=data["reply_line"], note=data["note"])
        return self.answer(request, alert)


class StaffAlertCloseView(StaffAlertSectionView):
    @extend_schema(
        operation_id="staff_alert_close",
        tags=["staff"],
        description="Close the alert: no more work orders join it. Closing a closed alert changes nothing.",
        request=None,
        responses={200: AlertDetailSerializer, **errors(404)},
    )
    def post(self, request, pk: int):
        alert = self.alert_for_section(request, pk)
        services.alert_close(alert, actor=request.user)
        return self.answer(request, alert)
