"""Signing in: Django's ModelBackend, loading the member's unit and role codes with the member.

Every staff request reads `user.unit` (the bureau of a bureau-wide role, the unit of everyone else scopes
each list and each permission) and `user.role_codes` (every permission is a role predicate). With
ModelBackend each took a query of its own after the user's; here the three come in one.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField

from org.models import User

SEPARATOR = ","  # role codes are RoleCode values (snake_case words)


class _Codes(Aggregate):
    """The codes of a member's roles as one string: PostgreSQL's string_agg, SQLite's group_concat."""

    function = "STRING_AGG"
    template = f"%(function)s(%(expressions)s, '{SEPARATOR}')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = (
                User._default_manager.select_related("unit")
                .annotate(role_code_list=_Codes("roles__code"))
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        # what User.role_codes would read in a query of its own (it is a cached_property)
        user.role_codes = frozenset(user.role_code_list.split(SEPARATOR)) if user.role_code_list else frozenset()
        return user
