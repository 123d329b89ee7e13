import pytest

from org.tests.factories import make_org


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_table():
    """A transactional test empties every table when it ends. PostgreSQL's flush is a TRUNCATE, which the
    audit guard lets through; SQLite's is a DELETE per table, which the guard (audit migration 0003) aborts
    unless the retention switch is on, as the retention command does: the test runner's flush does the same."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if "audit_auditrecord" not in tables:
            return statements
        switch_on = "INSERT INTO audit_retention_switch (is_on) VALUES (1)"
        return [switch_on, *statements, "DELETE FROM audit_retention_switch"]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # The calendar and the other reference data (core.process_cache) are cached per process; each test
    # starts from its own database state (a rolled-back test may have left its rows in the cache).
    # The cache holds the API throttles' counters: on SQLite a rolled-back test's ids are used again by the
    # next one, whose requests would otherwise count against the earlier test's.
    from django.core.cache import cache

    from core.process_cache import invalidate_all
    from workdays import calendar

    calendar.invalidate()
    invalidate_all()
    cache.clear()
    yield
    calendar.invalidate()
    invalidate_all()


@pytest.fixture
def reference_data(db):
    """The rows data migrations create (roles, categories, default deadline rules).

    A transactional test (browser, Celery, concurrency) empties every table when it ends, so the
    tests after it would find none; recreating them here (idempotently) keeps tests independent of order.
    """
    from notifications.tests.migrated_data import reload_migrated_data

    reload_migrated_data()


@pytest.fixture
def org(db, reference_data):
    """A bureau with the consumer-protection section, another section, two field units, and one person per role."""
    return make_org()


@pytest.fixture
def calendar_2026(db):
    from workdays.services import calendar_load_year

    calendar_load_year(2025)
    calendar_load_year(2026)
