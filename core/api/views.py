"""What every API view shares: NUL-free parameters, a JSON object for a body, whole-number parameters."""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.views import APIView


class HotlineAPIView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL refuses NUL in text: such a parameter would otherwise end in a 500.
        bad = [k for k, v in kwargs.items() if isinstance(v, str) and "\x00" in v]
        bad += [k for k, values in request.query_params.lists() if any("\x00" in v for v in values)]
        if bad:
            raise exceptions.ValidationError({name: ["Contains a NUL character."] for name in bad})


def json_object(request) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    return request.data


def int_param(request, name: str, *, default: int, low: int, high: int) -> int:
    """A whole-number query parameter within [low, high]; missing or empty: the default; else a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [f"Give a whole number from {low} to {high}."]}) from None
    if not low <= value <= high:
        raise exceptions.ValidationError({name: [f"Give a whole number from {low} to {high}."]})
    return value
