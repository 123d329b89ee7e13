"""Errors a service raises that every interface answers alike (a form error on a page, 409 on the API).

Here, on the ground floor, so that the API's error handler (core.api.exceptions) knows them without
importing a feature app: tickets' TicketConflict and TransitionNotAllowed are StateConflicts.
"""


class StateConflict(Exception):
    """The write was refused by the state it found (changed meanwhile, or a step its status does not allow)."""

    code = "conflict"

    def api_message(self) -> str:
        return str(self)
