import io
import logging

import pytest

from core.logging import PersonalDataFilter
from core.masking import mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SMS to 13812345678: 请尽快办理", "SMS to 138****5678: 请尽快办理"),
        ("tel +86 13812345678.", "tel 138****5678."),
        ("ID 310101199001011234 and 31010119900101123X", "ID 31*************234 and 31*************23X"),
        ("old ID 310101900101123", "old ID 31**********123"),
        ("call 021-57812345 now", "call 021-****2345 now"),
        ("ticket 42 SH12345-TEST-000001 at 2026-10-12 09:30", "ticket 42 SH12345-TEST-000001 at 2026-10-12 09:30"),
        ("credit code 91310117MA1J2XXXXX", "credit code 91310117MA1J2XXXXX"),
    ],
)
def test_mask_personal_numbers_masks_phones_and_ids_and_nothing_else(text, expected):
    assert mask_personal_numbers(text) == expected


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("notifications.sms", logging.INFO, __file__, 1, msg, args, exc_info)


def test_filter_masks_a_number_passed_as_an_argument():
    record = _record("SMS to %s: %s", "13812345678", "请尽快办理")

    PersonalDataFilter().filter(record)

    assert record.getMessage() == "SMS to 138****5678: 请尽快办理"


def test_filter_masks_the_exception_text():
    try:
        raise ValueError("bad phone 13812345678")
    except ValueError:
        import sys

        record = _record("failed", exc_info=sys.exc_info())

    PersonalDataFilter().filter(record)

    assert (record.exc_text.splitlines()[-1], "13812345678" in record.exc_text) == (
        "ValueError: bad phone 138****5678",
        False,
    )


def _configured(logger_name):
    # pytest adds its own capturing handlers beside the ones settings.LOGGING made
    return [h for h in logging.getLogger(logger_name).handlers if type(h) is logging.StreamHandler]


def test_settings_install_the_filter_on_every_handler_of_the_root_and_of_runserver():
    handlers = _configured(None) + _configured("django.server")

    assert [any(isinstance(f, PersonalDataFilter) for f in h.filters) for h in handlers] == [True] * len(handlers)


def test_sms_log_line_written_through_the_configured_handler_has_no_phone_number():
    from notifications.backends import LogSMSBackend

    handler = _configured(None)[0]
    stream = handler.setStream(io.StringIO())
    try:
        LogSMSBackend().send(phone="13812345678", text="工单SH-1请尽快办理")
        written = handler.stream.getvalue()
    finally:
        handler.setStream(stream)

    assert written.endswith("INFO notifications.sms SMS to 138****5678: 工单SH-1请尽快办理\n")


def test_a_celery_worker_logger_gets_the_filter_on_its_handlers():
    from hotline.celery import _mask_personal_data_in_worker_logs

    logger = logging.getLogger("hotline.test.worker")
    logger.handlers = [logging.StreamHandler(io.StringIO())]

    _mask_personal_data_in_worker_logs(logger=logger)
    _mask_personal_data_in_worker_logs(logger=logger)  # set up twice (root and task logger): one filter

    assert [type(f) for f in logger.handlers[0].filters] == [PersonalDataFilter]


def _configured_console():
    """The console handler exactly as settings.LOGGING builds it, writing to a string."""
    import logging.config

    from django.conf import settings

    stream = io.StringIO()
    config = {**settings.LOGGING, "disable_existing_loggers": False}
    config["handlers"] = {"console": {**settings.LOGGING["handlers"]["console"], "stream": stream}}
    config["root"] = {"handlers": ["console"], "level": "INFO"}
    logging.config.dictConfig(config)
    return stream


@pytest.fixture
def console():
    stream = _configured_console()
    yield stream
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def test_a_log_line_carries_its_time_with_the_offset_of_shanghai(console):
    logging.getLogger("hotline.test").warning("hello")

    line = console.getvalue().strip()
    assert line.split(" ")[0].endswith("+08:00"), line


def test_an_ordinary_403_is_one_line_without_a_traceback(client, org, console):
    client.force_login(org.handler)

    response = client.get("/tickets/inbox/")

    assert response.status_code == 403
    written = console.getvalue()
    assert "Forbidden" in written and "Traceback" not in written
