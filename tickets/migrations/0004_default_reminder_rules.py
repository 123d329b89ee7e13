"""The three default reminder tiers of docs/domain.md ("Three-tier reminders"), as general rules (blank clock)."""

from django.db import migrations

DEFAULTS = [
    # (tier, working days left, recipients)
    (1, 3, ["handler"]),
    (2, 1, ["handler", "unit_deputy"]),
    (3, 0, ["unit_leader", "section_chief", "bureau_leader"]),
]


def add_defaults(apps, schema_editor):
    EscalationRule = apps.get_model("tickets", "EscalationRule")
    for tier, offset, roles in DEFAULTS:
        EscalationRule.objects.get_or_create(
            clock="", tier=tier, defaults={"offset_working_days": offset, "recipient_roles": roles}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("tickets", "EscalationRule").objects.filter(clock="").delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_reminder_rules_and_escalations")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
