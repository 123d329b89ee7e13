"""Serializers built once per process, for the API's hottest requests.

A DRF serializer deep-copies its declared fields every time one is made (each field is constructed
again, its choices and validators with it), and for every object walks them through `get_attribute`,
`SkipField` and the many/nested machinery. On the progress view, the staff list and the intake that
cost more than their queries. The serializer classes stay the contract (the schema is generated from
them); these give the same answers without the per-request cost:

- `representation(SerializerClass)`: a function from a dict (the views build dicts) to what
  `SerializerClass(row).data` answers: the same keys in the same order, None kept as None, each value
  through the field's own `to_representation`, nested and `many=True` serializers compiled the same
  way. A key missing from the dict falls back to DRF's own rules (default, null, or left out).
- `validation(SerializerClass)`: a function from request data to what
  `SerializerClass(data=data).is_valid(raise_exception=True)` then `.validated_data` answers, or the
  same ValidationError, from one instance made once (`run_validation` keeps no state on the instance).

tickets/tests/test_api_prebuilt.py checks both paths give equal answers and errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField

Represent = Callable[[Mapping], dict]


@cache
def representation(serializer_class: type[serializers.Serializer]) -> Represent:
    """A function from a dict to `serializer_class(row).data` (as a plain dict), built once per class."""
    return _compile(serializer_class())


def _compile(serializer: serializers.Serializer) -> Represent:
    steps = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        if field.source == "*" or len(field.source_attrs) != 1:
            raise ValueError(f"{type(serializer).__name__}.{field.field_name}: only plain keys are compiled")
        steps.append((field.field_name, field.source_attrs[0], _converter(field), field))

    def represent(row: Mapping) -> dict:
        answer = {}
        for name, key, convert, field in steps:
            try:
                value = row[key]
            except KeyError:
                try:
                    value = field.get_attribute(row)  # DRF's own rules for a missing value
                except SkipField:
                    continue
            answer[name] = None if value is None else convert(value)
        return answer

    return represent


def _converter(field: serializers.Field) -> Callable:
    if isinstance(field, serializers.ListSerializer):
        child = _compile(field.child)
        return lambda items: [child(item) for item in items]
    if isinstance(field, serializers.Serializer):
        return _compile(field)
    return field.to_representation


@cache
def validation(serializer_class: type[serializers.Serializer]) -> Callable[[object], dict]:
    """A function from request data to `serializer_class(data=data)`'s validated data (or its ValidationError)."""
    serializer = serializer_class()

    def validate(data) -> dict:
        try:
            return serializer.run_validation(data)
        except ValidationError as exc:
            # what is_valid(raise_exception=True) raises: the errors as a dict by field
            raise ValidationError(exc.detail) from None

    return validate
