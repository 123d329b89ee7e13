"""What every staff API view shares: the session and the permission check."""

from __future__ import annotations

from rest_framework import exceptions

from core.api.views import HotlineAPIView
from tickets.api.permissions import IsStaffMember
from tickets.models import Ticket
from tickets.rules import step_moved_on, step_refusal
from tickets.services import AssistsOutstanding, TicketConflict, TransitionNotAllowed


class StaffView(HotlineAPIView):
    # settings.REST_FRAMEWORK's authentication: the session, and an integration key recognised (to answer
    # 403, not 401; IsStaffMember refuses it); the first class gives 401 its WWW-Authenticate.
    permission_classes = [IsStaffMember]

    def check_perm(self, name: str, obj=None) -> None:
        if not self.request.user.has_perm(name, obj):
            raise exceptions.PermissionDenied()

    def check_step(self, name: str, ticket: Ticket, seen_version: int | None = None) -> None:
        """A step on the ticket (tickets/rules.py), refused as the ticket page refuses it: 409 when the ticket
        moved on (a newer version than `seen_version`, or only its state stands in the way of someone whose
        role allows the step), else 403. Without `seen_version` the client acts on the ticket as it is."""
        user = self.request.user
        if user.has_perm(name, ticket):
            return
        refusal = step_refusal(user, name, ticket)
        if refusal:  # a rule that says why (the lead's reply while assisting units are outstanding): 409
            raise AssistsOutstanding(refusal)
        if step_moved_on(user, name, ticket, ticket.version if seen_version is None else seen_version):
            if seen_version is not None and seen_version < ticket.version:
                raise TicketConflict("This work order was changed by someone else meanwhile. Read it again.")
            raise TransitionNotAllowed(ticket.status, ticket.status)
        raise exceptions.PermissionDenied()
