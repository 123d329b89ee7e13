"""The compiled output serializers (tickets.api.representation) answer what the DRF serializers answer."""

import datetime as dt
import json

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from tickets.api import serializers as s
from tickets.api.representation import representation
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
        "handler_name": "王芳",
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
        "handler_name": None,
        "received_at": OTHER_OFFSET,
        "next_due_at": None,
        "version": 1,
    },
]


@pytest.mark.parametrize("row", STAFF_ROWS)
def test_staff_row_representation_equals_the_serializer(row):
    same(s.StaffTicketRowSerializer, row)


def platform_view(**changes) -> dict:
    view = {
        "id": 11,
        "external_id": "SH12345-20261128-000123",
        "source": "12345",
        "kind": "composite",
        "status": "completed",
        "received_at": UTC_MOMENT,
        "unit": {"code": "yy", "name": "岳阳所"},
        "deadlines": [
            {"clock": "first_contact", "due_at": LOCAL_MOMENT, "status": "met", "met_at": OTHER_OFFSET},
            {"clock": "reply", "due_at": UTC_MOMENT, "status": "open", "met_at": None},
        ],
        "escalations": [
            {"clock": "reply", "tier": 1, "fired_at": None, "skipped": True},
            {"clock": "reply", "tier": 2, "fired_at": UTC_MOMENT, "skipped": False},
        ],
        "outcome": {
            "finding": "substantiated",
            "reply": "已调解，退还学费。",
            "case_number": "沪松市监案〔2026〕12号",
            "tracks": [
                {"track": "complaint", "finding": "substantiated", "outcome": "mediated", "case_number": ""},
                {"track": "report", "finding": "", "outcome": "", "case_number": "沪松市监案〔2026〕12号"},
            ],
        },
        "merged_into": {"source": "12315", "external_id": "12315-20261127-000001"},
        "events": [{"code": "received", "at": UTC_MOMENT}, {"code": "completed", "at": OTHER_OFFSET}],
    }
    return view | changes


@pytest.mark.parametrize(
    "view",
    [
        platform_view(),
        platform_view(unit=None, outcome=None, merged_into=None, deadlines=[], escalations=[], events=[]),
        platform_view(status="received", outcome=None),
    ],
)
def test_platform_representation_equals_the_serializer(view):
    same(s.PlatformTicketSerializer, view)


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
    from tickets.api.views import _row, row_values, staff_row_from_values
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

    from_values = [staff_row_from_values(row) for row in row_values(rows)]

    assert [row["id"] for row in from_values] == [received.pk, dispatched.pk, accepted.pk]
    assert from_values[2]["handler"] == org.handler.username
    assert from_values == list(s.StaffTicketRowSerializer([_row(ticket) for ticket in rows], many=True).data)
