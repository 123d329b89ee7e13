"""The staff API of documents: a work order's documents listed, one issued on demand, one downloaded.

Same permissions as the pages (documents/rules.py); another unit's or bureau's work order answers 404."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from core.api.fields import AwareDateTimeField
from core.api.schema import errors
from core.api.views import json_object
from documents import selectors, services
from documents.choices import Copy, DocumentKind
from documents.views import document_response
from tickets.api.base import StaffView
from tickets.selectors import ticket_get_for_user


class DocumentInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)


class DocumentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    title = serializers.CharField()
    number = serializers.CharField()
    version = serializers.IntegerField()
    copy = serializers.ChoiceField(choices=Copy.choices, help_text="business: the copy without the complainant")
    created_at = AwareDateTimeField()
    download = serializers.CharField(help_text="the .docx (the same permission check)")


def document_out(document) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "number": document.number,
        "version": document.version,
        "copy": document.copy,
        "created_at": document.created_at,
        "download": reverse("staff_api:ticket-document", args=[document.ticket_id, document.pk]),
    }


class StaffDocumentListView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_documents",
        tags=["staff"],
        description="The work order's documents, each version and copy (newest version first within a kind).",
        responses={200: DocumentOutSerializer(many=True), **errors(404)},
    )
    def get(self, request, pk: int):
        ticket, documents = selectors.documents_for_user(request.user, pk)
        return Response(DocumentOutSerializer([document_out(d) for d in documents], many=True).data)

    @extend_schema(
        operation_id="staff_ticket_document_issue",
        tags=["staff"],
        description=(
            "Issue a document of `kind` now: 201 with the file copy (and, for a kind that goes to the business, "
            "its business copy is made too); a kind the work order already has is a new version with the same "
            "number. 400 when the kind does not apply to the work order's state."
        ),
        request=DocumentInSerializer,
        responses={201: DocumentOutSerializer, **errors(400, 404, 409)},
    )
    def post(self, request, pk: int):
        ticket = ticket_get_for_user(request.user, pk)
        self.check_perm("documents.make_document", ticket)
        serializer = DocumentInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        made = services.document_issue(ticket, serializer.validated_data["kind"], actor=request.user)
        return Response(DocumentOutSerializer(document_out(made[0])).data, status=201)


class StaffDocumentDownloadView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_document_download",
        tags=["staff"],
        description="The document's .docx, as an attachment; recorded in the audit log.",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(404)},
    )
    def get(self, request, pk: int, document_pk: int):
        return document_response(selectors.document_get_for_user(request.user, pk, document_pk))


# Added to the staff API's routes by the root urls (hotline/urls.py), in its namespace.
urlpatterns = [
    path("tickets/<int:pk>/documents/", StaffDocumentListView.as_view(), name="ticket-documents"),
    path(
        "tickets/<int:pk>/documents/<int:document_pk>/",
        StaffDocumentDownloadView.as_view(),
        name="ticket-document",
    ),
]
