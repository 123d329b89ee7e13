"""The heartbeat model now lives in core (core.0001): hotline forgets it without dropping the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_heartbeat"), ("core", "0001_heartbeat_moved_from_hotline")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Heartbeat")], database_operations=[]),
    ]
