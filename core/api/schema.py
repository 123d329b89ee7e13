"""The error shape as the schema describes it, and the error answers every operation lists."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField(allow_blank=True)
    fields = serializers.DictField(child=serializers.JSONField())


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERRORS = {
    code: OpenApiResponse(ErrorSerializer, description=text)
    for code, text in {
        400: "invalid input",
        401: "no or bad key",
        403: "not allowed",
        404: "not found",
        409: "conflict",
        413: "body over 1 MiB",
        429: "rate limited (Retry-After)",
    }.items()
}


def errors(*codes: int) -> dict:
    """An operation's error answers: 401, 403 and 429 always, and those given."""
    return {code: ERRORS[code] for code in (401, 403, 429, *codes)}
