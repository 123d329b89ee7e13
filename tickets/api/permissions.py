from rest_framework.permissions import BasePermission

from integrations.models import IntegrationClient
from org.models import User


class IsIntegrationClient(BasePermission):
    """The platform's endpoints: an integration key only (a staff session is refused)."""

    message = "This endpoint is for integration clients (Authorization: Token <key>)."

    def has_permission(self, request, view):
        return isinstance(request.auth, IntegrationClient)


class IsStaffMember(BasePermission):
    """The staff API: a signed-in member of staff only (an integration key is refused)."""

    message = "This endpoint is for staff signed in to Hotline."

    def has_permission(self, request, view):
        return (
            isinstance(request.user, User)
            and request.user.is_active
            and not isinstance(request.auth, IntegrationClient)
        )
