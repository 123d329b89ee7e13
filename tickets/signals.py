"""Decisions on a work order, announced to the apps above tickets (documents makes its letters from them).

Tickets imports nothing above it: the services send `decision_given` inside their own transaction, after the
decision is written, and a receiver's rows commit or roll back with the decision. The sending service names
the decision with one of DECISIONS; a receiver must not change the work order's state.
"""

from django.dispatch import Signal

# Arguments: ticket (the work order, as the service left it), decision (one of DECISIONS), actor (the user who
# gave it, or None for the system) and, for a decision on an approval request, request (the TicketRequest).
decision_given = Signal()

DECISIONS = frozenset(
    {
        "complaint_accepted",  # ticket_record_acceptance, accepted (受理)
        "complaint_not_accepted",  # ticket_record_acceptance, not accepted (不予受理)
        "extension_approved",  # request_decide, an extension approved
        "filing_decided",  # ticket_submit_reply, the report track's filing decision for a real-name reporter
        "completed",  # ticket_complete, the section approved the reply (办结)
        "archived",  # ticket_archive (归档)
    }
)


def decision_send(ticket, decision: str, *, actor, request=None) -> None:
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    decision_given.send(sender=type(ticket), ticket=ticket, decision=decision, actor=actor, request=request)
