"""The compiled output serializers (core.api.prebuilt) answer what the DRF serializers answer."""

import datetime as dt
import json

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from tickets.api import serializers as s
from core.api.prebuilt import representation
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
    from tickets.api.views import _row, row_values, staff_rows
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
    assert from_values == list(s.StaffTicketRowSerializer([_row(ticket) for ticket in rows], many=True).data)


INTAKE = {
    "external_id": "SH12345-20261128-000123",
    "source": "12345",
    "kind": "complaint",
    "title": "预付卡商家关门",
    "content": "某教育机构突然关门，预付学费无法退还。",
    "received_at": "2026-11-28T09:15:00+08:00",
    "reply_due_working_days": 5,
    "category": "education",
    "tags": ["mass"],
    "complainant": {"name": "张三", "phone": "13812345678", "is_real_name": True},
    "respondent": {"name": "某某教育科技有限公司", "credit_code": "91310117MA1J2XXXXX"},
    "location": {"address": "松江区某路2号", "lat": 31.03, "lng": 121.22},
}


@pytest.mark.parametrize(
    "data",
    [
        INTAKE,
        {k: v for k, v in INTAKE.items() if k in ("external_id", "source", "kind", "content", "received_at")},
        INTAKE | {"received_at": "2026-11-28T09:15:00", "kind": "praise", "tags": ["nonsense", "mass"]},
        INTAKE | {"reply_due_at": "2026-11-01T00:00:00+08:00"},
        INTAKE | {"complainant": {"phone": "1" * 33}, "location": {"lat": 91}},
        INTAKE | {"content": "bad \x00 byte", "title": None},
        {},
        [1, 2],
    ],
)
def test_prebuilt_validation_answers_what_is_valid_answers(data):
    from rest_framework.exceptions import ValidationError

    from core.api.prebuilt import validation

    serializer = s.TicketIntakeSerializer(data=data)
    try:
        serializer.is_valid(raise_exception=True)
        expected, expected_error = serializer.validated_data, None
    except ValidationError as exc:
        expected, expected_error = None, exc.detail
    try:
        answer, error = validation(s.TicketIntakeSerializer)(data), None
    except ValidationError as exc:
        answer, error = None, exc.detail

    assert (answer, error) == (expected, expected_error)
    assert rendered(error) == rendered(expected_error)


def test_prebuilt_validation_keeps_no_state_between_documents():
    from rest_framework.exceptions import ValidationError

    from core.api.prebuilt import validation

    validate = validation(s.TicketIntakeSerializer)
    with pytest.raises(ValidationError):
        validate(INTAKE | {"kind": "praise"})

    first, second = validate(INTAKE), validate(INTAKE | {"tags": []})

    assert (first["kind"], first["tags"], second["tags"]) == ("complaint", ["mass"], [])


@pytest.mark.parametrize("zone", [None, "UTC", "America/New_York"])
def test_staff_rows_written_out_equal_the_serializer(org, zone):
    from django.utils import timezone

    from tickets.api.views import staff_rows

    values = [
        {
            "id": 7,
            "source": "12345",
            "external_id": "SH12345-20261128-000123",
            "kind": "complaint",
            "title": '引号"与\\反斜杠 and emoji 🙂',
            "status": "in_progress",
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
            "unit_id": None,
            "handler_id": None,
            "received_at": OTHER_OFFSET,
            "next_due_at": None,
            "version": 1,
        },
    ]
    as_rows = [
        values[0]
        | {"unit": {"code": org.office_a.code, "name": org.office_a.name}, "handler_name": org.handler.display_name},
        values[1] | {"unit": None, "handler_name": None},
    ]

    with timezone.override(zone) if zone else timezone.override(timezone.get_current_timezone()):
        written = staff_rows(values)
        expected = s.StaffTicketRowSerializer(as_rows, many=True).data

    assert written == list(expected)
    assert rendered(written) == rendered(expected)
