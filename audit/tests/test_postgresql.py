"""The database's own guard: on PostgreSQL the table refuses UPDATE and DELETE (migration 0002)."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from audit.models import AuditRecord
from audit.services import audit_prune, audit_record
from core.testing import need
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI)

pytestmark = pytest.mark.postgres


@pytest.fixture
def on_postgresql(db):
    need(connection.vendor == "postgresql", "the guard is a PostgreSQL trigger (set DATABASE_URL=postgres://...)")


def test_update_of_an_audit_record_is_refused_by_the_database(on_postgresql):
    record = audit_record("auth.login", actor=None)

    with pytest.raises(DatabaseError) as error, transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="auth.logout")

    assert "audit records cannot be changed or deleted (UPDATE)" in str(error.value)
    assert AuditRecord.objects.get(pk=record.pk).action == "auth.login"


def test_delete_of_an_audit_record_is_refused_by_the_database(on_postgresql):
    record = audit_record("auth.login", actor=None)

    with pytest.raises(DatabaseError) as error, transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()

    assert "audit records cannot be changed or deleted (DELETE)" in str(error.value)
    assert AuditRecord.objects.filter(pk=record.pk).count() == 1


def test_raw_sql_delete_is_refused_too(on_postgresql):
    audit_record("auth.login", actor=None)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord")

    assert AuditRecord.objects.count() == 1


def test_the_retention_switch_does_not_outlive_the_prune_transaction(on_postgresql, settings):
    settings.HOTLINE_AUDIT_RETENTION_DAYS = 180
    audit_record("auth.login", actor=None, at=NOW - dt.timedelta(days=365))
    kept = audit_record("auth.login", actor=None, at=NOW - dt.timedelta(days=10))
    with time_machine.travel(NOW, tick=False):
        removed = audit_prune()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=kept.pk).delete()

    assert (removed, list(AuditRecord.objects.order_by("at").values_list("action", flat=True))) == (
        1,
        ["auth.login", "audit.pruned"],
    )
