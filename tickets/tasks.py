from celery import shared_task

from tickets.escalation import escalation_sweep


@shared_task(name="tickets.escalate_due", ignore_result=True)
def escalate_due() -> dict:
    result = escalation_sweep()
    return {"fired": dict(result.fired), "skipped": dict(result.skipped)}
