"""A work order's files in the staff API: upload (the ticket page's `upload` rule) and download."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.schema import errors
from tickets import selectors, services
from tickets.api import serializers as s
from tickets.api.base import StaffView
from tickets.api.detail import attachment_out
from tickets.views.actions import attachment_response


class StaffAttachmentUploadView(StaffView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="staff_ticket_attachment_upload",
        tags=["staff"],
        description="multipart/form-data: `file` (images, PDF, Office; at most 20 MB) and `purpose`.",
        request={"multipart/form-data": s.AttachmentInSerializer},
        responses={201: s.AttachmentOutSerializer, **errors(400, 404, 413)},
    )
    def post(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(request.user, pk)
        user = request.user
        self.check_step("tickets.add_attachment", ticket)
        serializer = s.AttachmentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if "\x00" in (serializer.validated_data["file"].name or ""):
            raise exceptions.ValidationError({"file": ["The file name contains a NUL character."]})
        attachment = services.ticket_add_attachment(
            ticket,
            actor=user,
            uploaded_file=serializer.validated_data["file"],
            purpose=serializer.validated_data["purpose"],
        )
        return Response(s.AttachmentOutSerializer(attachment_out(ticket, attachment)).data, status=201)


class StaffAttachmentDownloadView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_attachment_download",
        tags=["staff"],
        description="The file, streamed after the permission check (never from a public URL).",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(404)},
    )
    def get(self, request, pk: int, attachment_pk: int):
        return attachment_response(selectors.attachment_get_for_user(request.user, pk, attachment_pk))
