import pytest
from django.db import connection


@pytest.fixture
def audit_storage_down(db):
    """The database refuses new audit rows (a full disk, a revoked grant): the outside world failing."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION audit_test_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'audit storage unavailable'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER audit_test_refuse BEFORE INSERT ON audit_auditrecord "
                "FOR EACH ROW EXECUTE FUNCTION audit_test_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER audit_test_refuse BEFORE INSERT ON audit_auditrecord "
                "BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END"
            )
    # The test's transaction is rolled back at its end, the trigger with it.
