"""Output serializers compiled once per process into plain functions that give the same JSON.

A DRF serializer deep-copies its declared fields each time one is made, and for every object walks
them through `get_attribute`, `SkipField` and the many/nested machinery; on the API's hottest reads
(the progress view, the staff list) that cost more than the queries. The views build plain dicts
anyway, so `representation(SerializerClass)` walks the class's fields once and returns a function from
such a dict to what `SerializerClass(row).data` answers: the same keys in the same order, None kept as
None, each value through the field's own `to_representation`, nested and `many=True` serializers
compiled the same way. A key missing from the dict falls back to DRF's own rules (default, null, or
left out). The serializer classes stay the contract: the schema is generated from them, and
tickets/tests/test_api_representation.py checks both paths give equal answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache

from rest_framework import serializers
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
