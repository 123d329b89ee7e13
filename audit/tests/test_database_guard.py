"""The database's own guard: the table refuses UPDATE and DELETE, on PostgreSQL (migration 0002, a trigger
and a transaction-local setting) and on SQLite (0003, triggers and a switch row)."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from audit.models import AuditRecord
from audit.services import audit_prune, audit_record
from core.testing import need
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture
def guarded(db):
    need(connection.vendor in ("postgresql", "sqlite"), "the guard is written for PostgreSQL and SQLite")


def test_update_of_an_audit_record_is_refused_by_the_database(guarded):
    record = audit_record("auth.login", actor=None)

    with pytest.raises(DatabaseError) as error, transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(action="auth.logout")

    assert "audit records cannot be changed or deleted (UPDATE)" in str(error.value)
    assert AuditRecord.objects.get(pk=record.pk).action == "auth.login"


def test_delete_of_an_audit_record_is_refused_by_the_database(guarded):
    record = audit_record("auth.login", actor=None)

    with pytest.raises(DatabaseError) as error, transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()

    assert "audit records cannot be changed or deleted (DELETE)" in str(error.value)
    assert AuditRecord.objects.filter(pk=record.pk).count() == 1


def test_raw_sql_delete_is_refused_too(guarded):
    audit_record("auth.login", actor=None)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord")

    assert AuditRecord.objects.count() == 1


def test_the_retention_switch_does_not_outlive_the_prune_transaction(guarded, settings):
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


def test_the_guard_does_not_stop_new_records_nor_the_prune_of_the_old(guarded, settings):
    settings.HOTLINE_AUDIT_RETENTION_DAYS = 180
    for days in (400, 300, 200):
        audit_record("auth.login", actor=None, at=NOW - dt.timedelta(days=days))
    with time_machine.travel(NOW, tick=False):
        removed = audit_prune(batch_size=2)

    assert removed == 3
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord")
    assert AuditRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_records_can_still_be_emptied_afterwards():
    # Its end flushes every table (conftest's _flush_may_empty_the_audit_table on SQLite): no error there.
    audit_record("auth.login", actor=None)
    assert AuditRecord.objects.count() == 1
