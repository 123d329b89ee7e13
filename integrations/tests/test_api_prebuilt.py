"""The compiled serializers (core.api.prebuilt) answer what the platform's DRF serializers answer."""

import pytest
from rest_framework.exceptions import ValidationError

from core.api.prebuilt import validation
from integrations.api import serializers as s
from tickets.tests.test_api_prebuilt import LOCAL_MOMENT, OTHER_OFFSET, UTC_MOMENT, rendered, same


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
    validate = validation(s.TicketIntakeSerializer)
    with pytest.raises(ValidationError):
        validate(INTAKE | {"kind": "praise"})

    first, second = validate(INTAKE), validate(INTAKE | {"tags": []})

    assert (first["kind"], first["tags"], second["tags"]) == ("complaint", ["mass"], [])
