import datetime as dt

import pytest
from django.utils import timezone

from core.prepared import PreparedQuery
from org.models import User


def test_prepared_rows_are_the_orm_rows(org, django_assert_num_queries):
    query = PreparedQuery(lambda pk: User.objects.filter(pk__gte=pk).order_by("pk").values_list("pk", "date_joined"))
    orm = list(User.objects.filter(pk__gte=org.handler.pk).order_by("pk").values_list("pk", "date_joined"))

    with django_assert_num_queries(1):
        _compiled, first = query.rows(org.handler.pk)
    with django_assert_num_queries(1):
        _compiled, again = query.rows(org.handler.pk)

    assert [tuple(row) for row in first] == [tuple(row) for row in again] == orm
    assert all(isinstance(row[1], dt.datetime) and timezone.is_aware(row[1]) for row in first)


def test_prepared_instances_come_with_select_related_and_annotations(org):
    from django.db.models import F

    query = PreparedQuery(lambda pk: User.objects.select_related("unit").annotate(mark=F("username")).filter(pk=pk))

    (user,) = query.instances(org.handler.pk)

    assert (user, user.mark, user._state.adding, user._state.db) == (
        org.handler,
        org.handler.username,
        False,
        "default",
    )
    assert User.unit.is_cached(user) and user.unit == org.handler.unit


def test_prepared_query_refuses_parameters_that_are_not_its_arguments(org):
    with pytest.raises(ValueError):
        PreparedQuery(lambda pk: User.objects.filter(pk=pk, username="x")).rows(org.handler.pk)
    with pytest.raises(TypeError):
        PreparedQuery(lambda pk: User.objects.filter(pk=pk)).rows(None)


def test_prepared_query_never_runs_the_sql_of_one_that_was_freed(org):
    # a PreparedQuery made and dropped (a test's, a view's) must not leave its SQL to the next one that
    # happens to get the same id() on this connection
    def usernames(pk):
        return User.objects.filter(pk=pk).values_list("username")

    def emails(pk):
        return User.objects.filter(pk=pk).values_list("email")

    freed = PreparedQuery(usernames)
    freed.rows(org.handler.pk)
    del freed
    answers = [PreparedQuery(emails).rows(org.handler.pk)[1] for _ in range(3)]

    assert answers == [[(org.handler.email,)]] * 3
