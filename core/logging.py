"""A logging filter that masks phone and ID numbers in every record a handler writes.

Installed on the handlers in settings.LOGGING, so it sees the records of every logger (a filter on a logger
would miss the records its children propagate). It works on the formatted message and the exception text,
so a number passed as an argument (`logger.info("SMS to %s", phone)`) is masked as well as one in a string.
The masks are core.masking's.
"""

from __future__ import annotations

import logging

from core.masking import mask_personal_numbers


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: leave it to the formatter, which reports it as logging does
            return True
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        return True


class NoTracebackFor403(logging.Filter):
    """An ordinary refusal (403: a member without the role, a CSRF failure) is one line, not a traceback: Django
    logs PermissionDenied at WARNING with its exception, which buries the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.") and getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class LocalTimeFormatter(logging.Formatter):
    """Every line's time in the project's one zone with its offset (2026-12-06T08:15:02.123+08:00), whatever the
    server's zone is: the web process, the worker and the beat agree, and a reader knows which zone it is."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        import datetime as dt
        from zoneinfo import ZoneInfo

        from django.conf import settings

        zone = ZoneInfo(getattr(settings, "TIME_ZONE", None) or "Asia/Shanghai")
        return dt.datetime.fromtimestamp(record.created, zone).isoformat(timespec="milliseconds")
