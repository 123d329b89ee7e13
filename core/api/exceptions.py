"""One error format for every API answer: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import StateConflict

logger = logging.getLogger(__name__)
API_PREFIXES = ("/api/", "/open311/")


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is larger than 1 MiB.")
    default_code = "payload_too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This conflicts with the current state.")
    default_code = "conflict"


_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def _flatten(detail) -> dict:
    """DRF's nested error detail -> {"field": "message"} or {"field": {...}}."""
    if isinstance(detail, dict):
        return {str(key): _flatten_value(value) for key, value in detail.items()}
    return {}


def _flatten_value(value):
    if isinstance(value, dict):
        return _flatten(value)
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            return {str(i): _flatten(item) for i, item in enumerate(value) if item}
        return " ".join(str(item) for item in value)
    return str(value)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _django_validation_fields(error: DjangoValidationError) -> tuple[str, dict]:
    if hasattr(error, "error_dict"):
        fields = {
            key: " ".join(str(m) for m in DjangoValidationError(value).messages)
            for key, value in error.error_dict.items()
        }
        return str(_("Some fields are not valid.")), fields
    return " ".join(str(m) for m in error.messages), {}


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, StateConflict):
        exc = Conflict(exc.api_message(), code=exc.code)
    elif isinstance(exc, DjangoValidationError):
        message, fields = _django_validation_fields(exc)
        return Response(error_body("invalid", message, fields), status=400)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: Django's 500 handler answers (JSON for API paths)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(detail) if isinstance(detail, dict) else {}
        non_field = fields.pop("non_field_errors", "")
        message = non_field or (_("Some fields are not valid.") if fields else _flatten_value(detail))
        code = "invalid"
    else:
        fields = {}
        message = _flatten_value(detail) if detail is not None else ""
        code = _CODES.get(response.status_code) or getattr(exc, "default_code", "error")
        if isinstance(detail, exceptions.ErrorDetail) and detail.code and response.status_code == 409:
            code = detail.code
    response.data = error_body(code, str(message), fields)
    return response


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def handler404(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("not_found", str(_("Not found."))), status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if _is_api(request):
        return JsonResponse(error_body("server_error", str(_("Internal error: it has been logged."))), status=500)
    from django.views.defaults import server_error

    return server_error(request)
