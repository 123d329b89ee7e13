from rest_framework.permissions import BasePermission

from integrations.models import IntegrationClient


class IsIntegrationClient(BasePermission):
    """The platform's endpoints: an integration key only (a staff session is refused)."""

    message = "This endpoint is for integration clients (Authorization: Token <key>)."

    def has_permission(self, request, view):
        return isinstance(request.auth, IntegrationClient)
