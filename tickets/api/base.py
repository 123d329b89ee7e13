"""What every staff API view shares: the session and the permission check."""

from __future__ import annotations

from rest_framework import exceptions

from core.api.views import HotlineAPIView
from tickets.api.permissions import IsStaffMember


class StaffView(HotlineAPIView):
    # settings.REST_FRAMEWORK's authentication: the session, and an integration key recognised (to answer
    # 403, not 401; IsStaffMember refuses it); the first class gives 401 its WWW-Authenticate.
    permission_classes = [IsStaffMember]

    def check_perm(self, name: str, obj=None) -> None:
        if not self.request.user.has_perm(name, obj):
            raise exceptions.PermissionDenied()
