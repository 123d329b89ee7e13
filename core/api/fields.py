import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from core.dates import year_in_range


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset only: a naive time is ambiguous across the platform and Hotline."""

    default_error_messages = {
        "invalid": "Give a time in ISO 8601 with an offset, e.g. 2026-11-28T09:15:00+08:00.",
        "naive": "The time needs an offset (e.g. +08:00).",
        "range": "The time must lie between the years 2000 and 2100.",
        "offset": "The offset must lie between -14:00 and +14:00.",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        if timezone.is_naive(parsed):
            self.fail("naive")
        # Python takes offsets up to ±23:59, PostgreSQL only to ±15:59 (DataError, a 500): no place on earth is
        # beyond ±14:00.
        if abs(parsed.utcoffset()) > dt.timedelta(hours=14):
            self.fail("offset")
        try:
            parsed.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            self.fail("invalid")
        # Before 1901 Shanghai's offset was local mean time (+08:05:43): no ISO 8601 answer for that.
        if not year_in_range(parsed):
            self.fail("range")
        return parsed

    def to_representation(self, value):
        if value is None:
            return None
        return timezone.localtime(value).isoformat()
