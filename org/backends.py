"""Authentication backends: Django's model permissions only for the names django-rules does not define.

Every permission the application asks (`tickets.handle_ticket`, `reviews.view_dashboard`, ...) is a
django-rules name, answered by `rules.permissions.ObjectPermissionBackend`. When rules says no, Django
would go on to ModelBackend, which loads the user's model permissions (two queries, once per request)
to answer a name it has never heard of. Every page asks several such names for the navigation, so every
page paid those two queries for nothing. This backend answers False at once for a rules name, and
leaves Django's model permissions (the admin's add/change/delete/view) as they were.

It also loads the signed-in user with the unit: the header shows it and every scoped read asks for
the unit's bureau, one query less on every page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from rules.permissions import perm_exists

UserModel = get_user_model()


class ModelPermissionBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("unit").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        if perm_exists(perm):
            return False  # a rules name: ObjectPermissionBackend, listed first, has answered it
        return super().has_perm(user_obj, perm, obj)
