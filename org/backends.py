"""Signing in: Django's ModelBackend, loading the member's unit with the member.

Every staff request reads `user.unit` (the bureau of a bureau-wide role, the unit of everyone else scopes
each list and each permission); ModelBackend loads the user alone and the unit took a query of its own.
"""

from django.contrib.auth.backends import ModelBackend

from org.models import User


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
