"""On SQLite, the same guard as PostgreSQL's (0002): the table refuses UPDATE and DELETE.

SQLite has no session settings, so the retention command's permission is a row in a one-column table,
`audit_retention_switch`, inserted and deleted again inside audit_prune's own transaction (no other
connection ever sees it: SQLite runs one writer at a time and readers see only committed rows). A DELETE
while the table is empty is aborted; an UPDATE always is. The trigger bodies use RAISE(ABORT), which rolls
back the statement (sqlite3.IntegrityError, a DatabaseError).
"""

from django.db import migrations

GUARD = [
    "CREATE TABLE audit_retention_switch (is_on INTEGER NOT NULL)",
    "CREATE TRIGGER audit_auditrecord_guard_update BEFORE UPDATE ON audit_auditrecord "
    "BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed or deleted (UPDATE)'); END",
    "CREATE TRIGGER audit_auditrecord_guard_delete BEFORE DELETE ON audit_auditrecord "
    "WHEN NOT EXISTS (SELECT 1 FROM audit_retention_switch) "
    "BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed or deleted (DELETE)'); END",
]

UNGUARD = [
    "DROP TRIGGER IF EXISTS audit_auditrecord_guard_update",
    "DROP TRIGGER IF EXISTS audit_auditrecord_guard_delete",
    "DROP TABLE IF EXISTS audit_retention_switch",
]


def _on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_postgresql_guard")]

    operations = [migrations.RunPython(_on_sqlite(GUARD), _on_sqlite(UNGUARD), elidable=False)]
