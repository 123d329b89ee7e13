"""The compiled output serializers (core.api.prebuilt) answer what the DRF serializers answer."""

import datetime as dt
import json

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from core.api.prebuilt import representation
from tickets.api import serializers as s
from workdays.calendar import SHANGHAI

UTC_MOMENT = dt.datetime(2026, 11, 28, 1, 15, 7, 123456, tzinfo=dt.UTC)
LOCAL_MOMENT = dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=SHANGHAI)
OTHER_OFFSET = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def rendered(data) -> bytes:
    return JSONRenderer().render(data)


def same(serializer_class, row) -> None:
    compiled = representation(serializer_class)(row)
    expected = serializer_class(row).data
    assert compiled == expected
    assert rendered(compiled) == rendered(expected)


STAFF_ROWS = [
    {
        "id": 7,
        "source": "12345",
        "external_id": "SH12345-20261128-000123",
        "kind": "complaint",
        "title": "预付卡商家关门",
        "status": "in_progress",
        "unit": {"code": "yy", "name": "岳阳所"},
        "handler": "王芳",
        "received_at": UTC_MOMENT,
        "next_due_at": LOCAL_MOMENT,
        "version": 4,
    },
    {
        "id": 8,
        "source": "walk_in",
        "external_id": "HL-20261128-000001",
        "kind": "report",
        "title": "",
        "status": "received",
        "unit": None,
        "handler": None,
        "received_at": OTHER_OFFSET,
        "next_due_at": None,
        "version": 1,
    },
]


@pytest.mark.parametrize("row", STAFF_ROWS)
def test_staff_row_representation_equals_the_serializer(row):
    same(s.StaffTicketRowSerializer, row)


class WithOptional(serializers.Serializer):
    present = serializers.IntegerField()
    optional = serializers.CharField(required=False)
    defaulted = serializers.CharField(default="d")
    nullable = serializers.CharField(allow_null=True)
    secret = serializers.CharField(write_only=True)


def test_missing_keys_follow_drf_rules():
    row = {"present": 1}

    assert (
        representation(WithOptional)(row)
        == WithOptional(row).data
        == {
            "present": 1,
            "defaulted": "d",
            "nullable": None,
        }
    )


def test_json_of_both_paths_is_byte_for_byte_equal_for_unicode_and_times():
    row = STAFF_ROWS[0] | {"title": '引号"与\\反斜杠 and emoji 🙂'}

    assert rendered(representation(s.StaffTicketRowSerializer)(row)) == rendered(s.StaffTicketRowSerializer(row).data)
    assert json.loads(rendered(representation(s.StaffTicketRowSerializer)(row)))["received_at"] == (
        "2026-11-28T09:15:07.123456+08:00"
    )


def test_a_serializer_with_a_dotted_source_is_refused():
    class Dotted(serializers.Serializer):
        name = serializers.CharField(source="unit.name")

    with pytest.raises(ValueError, match="only plain keys"):
        representation(Dotted)


def test_list_rows_read_as_values_equal_the_rows_of_model_instances(org):
    from tickets import services
    from tickets.api.rows import row_document, row_values, staff_rows
    from tickets.rows import ticket_row
    from tickets.selectors import ticket_list_rows
    from tickets.tests.factories import make_ticket

    received = make_ticket(org)
    dispatched = make_ticket(org, kind="report")
    services.ticket_dispatch(dispatched, unit=org.office_a, actor=org.dispatcher)
    accepted = make_ticket(org, tags=["urgent"])
    services.ticket_dispatch(accepted, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(accepted, actor=org.handler)
    org.handler.first_name = org.handler.last_name = ""  # named by the username then
    org.handler.save()
    rows = ticket_list_rows(org.dispatcher).order_by("id")

    from_values = staff_rows(list(row_values(rows)))

    assert [row["id"] for row in from_values] == [received.pk, dispatched.pk, accepted.pk]
    assert from_values[2]["handler"] == org.handler.username
    from_instances = s.StaffTicketRowSerializer([row_document(ticket_row(ticket)) for ticket in rows], many=True)
    assert from_values == list(from_instances.data)


@pytest.mark.parametrize("zone", [None, "UTC", "America/New_York"])
def test_staff_rows_written_out_equal_the_serializer(org, zone):
    from django.utils import timezone

    from tickets.api.rows import staff_rows

    values = [
        {
            "id": 7,
            "source": "12345",
            "external_id": "SH12345-20261128-000123",
            "kind": "complaint",
            "title": '引号"与\\反斜杠 and emoji 🙂',
            "status": "in_progress",
            "tags": ["urgent"],
            "category__name": "教育培训",
            "unit_id": org.office_a.pk,
            "handler_id": org.handler.pk,
            "received_at": UTC_MOMENT,
            "next_due_at": LOCAL_MOMENT,
            "version": 4,
        },
        {
            "id": 8,
            "source": "walk_in",
            "external_id": "HL-20261128-000001",
            "kind": "report",
            "title": "",
            "status": "received",
            "tags": [],
            "category__name": None,
            "unit_id": None,
            "handler_id": None,
            "received_at": OTHER_OFFSET,
            "next_due_at": None,
            "version": 1,
        },
    ]
    as_rows = [
        values[0]
        | {"unit": {"code": org.office_a.code, "name": org.office_a.name}, "handler": org.handler.display_name},
        values[1] | {"unit": None, "handler": None},
    ]

    with timezone.override(zone) if zone else timezone.override(timezone.get_current_timezone()):
        written = staff_rows(values)
        expected = s.StaffTicketRowSerializer(as_rows, many=True).data

    assert written == list(expected)
    assert rendered(written) == rendered(expected)
