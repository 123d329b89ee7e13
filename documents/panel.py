"""The documents panel of a ticket page (documents/jinja2/documents/ticket_documents.html): the Jinja2 global
`ticket_documents`, named in settings.HOTLINE_TEMPLATE_GLOBALS."""

from documents.choices import DocumentKind
from documents.selectors import documents_of_ticket, kinds_available


def ticket_documents(ticket, user) -> dict:
    """The work order's documents (newest version first within a kind) and the kinds this user may make now."""
    can_make = user.has_perm("documents.make_document", ticket)
    labels = dict(DocumentKind.choices)
    return {
        "documents": list(documents_of_ticket(ticket)),
        "can_make": can_make,
        "kinds": [(kind, labels[kind]) for kind in kinds_available(ticket)] if can_make else [],
    }
