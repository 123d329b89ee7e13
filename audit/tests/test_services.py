import datetime as dt

import pytest
import time_machine
from django.test import RequestFactory

from audit.middleware import AuditContextMiddleware
from audit.models import AuditRecord
from audit.services import audit_prune, audit_record, audit_retention_days
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI)


def _fields(record):
    return {
        "user_id": record.user_id,
        "username": record.username,
        "action": record.action,
        "result": record.result,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "data": record.data,
        "ip_address": record.ip_address,
        "user_agent": record.user_agent,
    }


def test_audit_record_takes_user_address_and_browser_from_the_request_being_served(org):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 test")
    request.user = org.dispatcher
    middleware = AuditContextMiddleware(lambda req: audit_record("ticket.transition", obj=org.office_a, data={"x": 1}))

    record = middleware(request)

    assert _fields(record) == {
        "user_id": org.dispatcher.pk,
        "username": "sj_dispatcher",
        "action": "ticket.transition",
        "result": "ok",
        "object_type": "org.unit",
        "object_id": str(org.office_a.pk),
        "data": {"x": 1},
        "ip_address": "10.1.2.3",
        "user_agent": "Mozilla/5.0 test",
    }


def test_audit_record_outside_a_request_is_the_systems_with_no_address(org):
    record = audit_record("ticket.transition", obj=org.office_a)

    assert (record.user_id, record.username, record.ip_address, record.user_agent) == (None, "", None, "")


def test_audit_record_after_the_request_has_ended_no_longer_sees_it(org):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = org.dispatcher
    AuditContextMiddleware(lambda req: None)(request)

    record = audit_record("ticket.transition")

    assert (record.user_id, record.ip_address) == (None, None)


def test_audit_record_behind_the_tls_proxy_takes_the_address_the_proxy_appended(org, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")

    record = audit_record("auth.login_failed", actor=None, request=request)

    assert record.ip_address == "203.0.113.7"


def test_audit_record_without_the_proxy_setting_ignores_a_forwarded_for_header(org, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")

    record = audit_record("auth.login_failed", actor=None, request=request)

    assert record.ip_address == "10.0.0.1"


def test_audit_record_of_an_address_that_is_no_address_keeps_none(org):
    request = RequestFactory().get("/", REMOTE_ADDR="testserver")

    record = audit_record("auth.login_failed", actor=None, request=request)

    assert record.ip_address is None


def test_audit_retention_days_never_goes_below_180(settings):
    settings.HOTLINE_AUDIT_RETENTION_DAYS = 30

    assert audit_retention_days() == 180


def test_audit_prune_removes_only_records_older_than_the_retention_and_records_itself(db, settings):
    settings.HOTLINE_AUDIT_RETENTION_DAYS = 200
    for days in (201, 250, 199):
        audit_record("auth.login", actor=None, at=NOW - dt.timedelta(days=days))

    with time_machine.travel(NOW, tick=False):
        removed = audit_prune(batch_size=1)

    kept = list(AuditRecord.objects.order_by("at").values_list("action", "at"))
    assert (removed, kept) == (
        2,
        [("auth.login", NOW - dt.timedelta(days=199)), ("audit.pruned", NOW)],
    )
    assert AuditRecord.objects.get(action="audit.pruned").data == {
        "removed": 2,
        "before": "2026-03-26T01:30:00+00:00",
        "retention_days": 200,
    }


def test_audit_prune_command_says_how_many_it_removed(db, settings, capsys):
    from django.core.management import call_command

    settings.HOTLINE_AUDIT_RETENTION_DAYS = 180
    audit_record("auth.login", actor=None, at=NOW - dt.timedelta(days=400))

    with time_machine.travel(NOW, tick=False):
        call_command("audit_prune")

    assert capsys.readouterr().out == "removed 1 audit records older than 180 days\n"


@pytest.mark.parametrize("value", ["90", "179"])
def test_retention_setting_below_180_stops_the_start(value):
    import os
    import subprocess
    import sys

    from django.conf import settings

    started = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.INSTALLED_APPS"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "hotline.settings", "HOTLINE_AUDIT_RETENTION_DAYS": value},
        capture_output=True,
        text=True,
    )

    assert (started.returncode, started.stderr.strip().splitlines()[-1]) == (
        1,
        "django.core.exceptions.ImproperlyConfigured: "
        f"HOTLINE_AUDIT_RETENTION_DAYS={value} is below the minimum of 180.",
    )
