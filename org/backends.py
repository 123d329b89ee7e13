"""Signing in: Django's ModelBackend, loading the member's unit and role codes with the member, and
answering Django's model permissions only for the names django-rules does not define.

Every staff request reads `user.unit` (the bureau of a bureau-wide role, the unit of everyone else scopes
each list and each permission) and `user.role_codes` (every permission is a role predicate). With
ModelBackend each took a query of its own after the user's; here the three come in one.

Every permission the application asks (`tickets.handle_ticket`, `reviews.view_dashboard`, ...) is a
django-rules name, answered by `rules.permissions.ObjectPermissionBackend`. When rules says no, Django
would go on to ModelBackend, which loads the user's model permissions (two queries, once per request)
to answer a name it has never heard of: every page paid them for its navigation. `has_perm` answers
False at once for a rules name and leaves the admin's add/change/delete/view permissions as they were.

The query is Django's own, compiled once per database connection (core.prepared): building it again
on every request cost ten times what running it does.
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField
from rules.permissions import perm_exists

from core.prepared import PreparedQuery
from org.models import User

SEPARATOR = ","  # role codes are RoleCode values (snake_case words)


class _Codes(Aggregate):
    """The codes of a member's roles as one string: PostgreSQL's string_agg, SQLite's group_concat."""

    function = "STRING_AGG"
    template = f"%(function)s(%(expressions)s, '{SEPARATOR}')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def _member(pk):
    # what .get(pk=pk) runs (it adds LIMIT 21)
    return (
        User._default_manager.select_related("unit").annotate(role_code_list=_Codes("roles__code")).filter(pk=pk)[:21]
    )


_member_query = PreparedQuery(_member)


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        # What django.contrib.auth.get_user passes: the session's key as the pk's type (a bigint).
        if type(user_id) is int and -(2**63) <= user_id < 2**63:
            found = _member_query.instances(user_id)
        else:
            found = list(_member(user_id))  # anything else: the ORM's own conversion and errors
        if len(found) != 1:
            return None
        user = found[0]
        if not self.user_can_authenticate(user):
            return None
        # what User.role_codes would read in a query of its own (it is a cached_property)
        user.role_codes = frozenset(user.role_code_list.split(SEPARATOR)) if user.role_code_list else frozenset()
        return user

    def has_perm(self, user_obj, perm, obj=None):
        if perm_exists(perm):
            return False  # a rules name: ObjectPermissionBackend, listed first, has answered it
        return super().has_perm(user_obj, perm, obj)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first of the backends: a locked account is refused before any password is
    checked, whatever the password (settings: AXES_*, docs/security.md).

    Every way in through a form passes the request (the login page, the admin's). Code that authenticates
    without one (the test client's `login()`, a shell) has no address, form or session to count failures
    against: it is left to the other backends instead of being refused as django-axes would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
