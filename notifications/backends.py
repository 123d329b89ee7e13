"""SMS senders. The class is chosen by settings.NOTIFICATIONS_SMS_BACKEND (a dotted path)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class LogSMSBackend:
    """The default: writes each text message to the log instead of a gateway."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySMSBackend:
    """For tests: keeps what was sent in a list on the class."""

    outbox: list[dict] = []

    def send(self, *, phone: str, text: str) -> None:
        type(self).outbox.append({"phone": phone, "text": text})


def sms_backend():
    return import_string(settings.NOTIFICATIONS_SMS_BACKEND)()
