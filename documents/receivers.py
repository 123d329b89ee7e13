"""The tickets services' decisions (tickets.signals.decision_given) make their documents here."""

from documents.services import documents_on_decision


def on_decision(sender, *, ticket, decision, actor, request=None, **kwargs):
    documents_on_decision(ticket, decision, actor=actor, request=request)
