from celery import shared_task

from tickets.escalation import escalation_sweep


@shared_task(name="tickets.escalate_due", ignore_result=True)
def escalate_due() -> dict:
    result = escalation_sweep()
    return {"fired": dict(result.fired), "skipped": dict(result.skipped)}


@shared_task(name="tickets.keep_suggestions", ignore_result=True)
def keep_suggestions(bureau_id: int | None = None) -> int:
    """The dispatch suggestions of the waiting work orders, kept again where the catalogue changed
    (tickets.services.suggesting)."""
    from tickets.services import suggestions_keep

    return suggestions_keep(bureau_id=bureau_id)


@shared_task(name="tickets.recheck_proposals", ignore_result=True)
def recheck_proposals() -> int:
    """Possible duplicates proposed in the moment their work order closed, set straight
    (tickets.services.merging.proposals_recheck)."""
    from tickets.services.merging import proposals_recheck

    return proposals_recheck()
