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
