"""The heartbeat model moved from hotline/ to core/: state only, the table (hotline_heartbeat) stays."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("hotline", "0001_heartbeat")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Heartbeat",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=64, unique=True, verbose_name="name")),
                        ("last_run_at", models.DateTimeField(verbose_name="last run")),
                        ("run_count", models.PositiveBigIntegerField(default=0, verbose_name="runs")),
                    ],
                    options={
                        "verbose_name": "heartbeat",
                        "verbose_name_plural": "heartbeats",
                        "db_table": "hotline_heartbeat",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
