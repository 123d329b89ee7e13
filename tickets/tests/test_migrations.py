"""Data steps of migrations, run forward from the migration before on a database holding the rows they change."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_0024_sets_duplicate_open_from_the_work_orders(org):
    from tickets.services import ticket_merge
    from tickets.tests.factories import make_ticket

    closed, merged, master, newer = (make_ticket(org) for _ in range(4))  # one complainant: each proposes the others
    ticket_merge(merged, into=master, actor=org.dispatcher)
    try:
        # before 0024 a work order could close without a word to its proposals
        apps = _migrate(("tickets", "0023_ticket_dispatch_suggestion_kept"))
        apps.get_model("tickets", "Ticket").objects.filter(pk=closed.pk).update(status="completed")
        apps = _migrate(("tickets", "0024_duplicate_proposal_open_kept"))
    finally:
        _migrate_latest()

    Proposal = apps.get_model("tickets", "DuplicateProposal")
    kept = dict(Proposal.objects.filter(ticket_id=newer.pk).values_list("duplicate_id", "duplicate_open"))
    assert kept == {closed.pk: False, merged.pk: False, master.pk: True}


def _migrate_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
