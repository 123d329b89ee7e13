"""On PostgreSQL the table refuses UPDATE and DELETE, whoever asks through the application.

Only the retention command (audit.services.audit_prune) deletes, in a transaction that has set
`SET LOCAL hotline.audit_retention = 'on'`. TRUNCATE is left alone: the test runner empties tables with it,
and the application never issues one. SQLite gets the same guard in 0003.
"""

from django.db import migrations

GUARD = """
CREATE OR REPLACE FUNCTION audit_record_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('hotline.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit records cannot be changed or deleted (%)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditrecord_guard
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_guard();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS audit_auditrecord_guard ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_record_guard();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no parameters: the % in RAISE is no placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_record")]

    operations = [migrations.RunPython(_on_postgresql(GUARD), _on_postgresql(UNGUARD), elidable=False)]
