"""Proposals keep whether their duplicate is still open and not merged (DuplicateProposal.duplicate_open), so that
the lists read them without the work orders' table; the stored ones are set from the work orders as they are."""

from django.db import migrations, models

# tickets.choices.OPEN_STATUSES when this was written
OPEN_STATUSES = ["accepted", "dispatched", "in_progress", "received", "reopened", "section_review", "unit_review"]


def set_from_the_work_orders(apps, schema_editor):
    DuplicateProposal = apps.get_model("tickets", "DuplicateProposal")
    DuplicateProposal.objects.filter(
        models.Q(duplicate__merged_into__isnull=False) | ~models.Q(duplicate__status__in=OPEN_STATUSES)
    ).update(duplicate_open=False)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0023_ticket_dispatch_suggestion_kept"),
    ]

    operations = [
        migrations.AddField(
            model_name="duplicateproposal",
            name="duplicate_open",
            field=models.BooleanField(db_default=True, default=True),
        ),
        migrations.RunPython(set_from_the_work_orders, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="duplicateproposal",
            index=models.Index(
                condition=models.Q(("duplicate_open", True)),
                fields=["ticket", "duplicate"],
                name="duplicate_proposal_open_idx",
            ),
        ),
    ]
