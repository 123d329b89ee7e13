from rest_framework.permissions import BasePermission

from org.models import User


class IsStaffMember(BasePermission):
    """The staff API: a signed-in member of staff only.

    A session gives no `auth`; any credential that does (an integration key) is refused with 403.
    """

    message = "This endpoint is for staff signed in to Hotline."

    def has_permission(self, request, view):
        return isinstance(request.user, User) and request.user.is_active and request.auth is None
