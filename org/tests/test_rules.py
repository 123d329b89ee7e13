import pytest
from django.contrib.auth.models import AnonymousUser


@pytest.mark.django_db
def test_only_administrators_use_admin(org):
    assert org.admin.has_perm("org.use_admin") is True
    assert org.handler.has_perm("org.use_admin") is False
    assert org.chief.has_perm("org.use_admin") is False
    assert AnonymousUser().has_perm("org.use_admin") is False


@pytest.mark.django_db
def test_inactive_user_holds_no_role(org):
    org.chief.is_active = False
    org.chief.save()

    assert org.chief.role_codes == frozenset()


@pytest.mark.django_db
def test_bureau_wide_roles(org):
    assert org.dispatcher.is_bureau_wide is True
    assert org.leader.is_bureau_wide is True
    assert org.handler.is_bureau_wide is False
    assert org.deputy.is_bureau_wide is False


@pytest.mark.django_db
def test_unit_cannot_be_its_own_ancestor(org):
    from django.core.exceptions import ValidationError

    org.office_a.parent = org.office_b
    org.office_a.save()
    org.office_b.parent = org.office_a

    with pytest.raises(ValidationError):
        org.office_b.clean()


@pytest.mark.django_db
def test_superuser_still_meets_the_state_of_the_work_order(org):
    # QA: the demo administrator (a superuser) was offered "sign for", "approve" and "callback" on
    # every ticket, whatever its state, because Django's superuser shortcut skipped our rules.
    from tickets import services
    from tickets.tests.factories import make_ticket

    received = make_ticket(org)
    dispatched = services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)

    assert org.admin.is_superuser is True
    assert (
        org.admin.has_perm("tickets.accept_ticket", received),
        org.admin.has_perm("tickets.dispatch_ticket", received),
    ) == (
        False,
        True,
    )
    assert org.admin.has_perm("reviews.record_callback", dispatched) is False
    assert org.admin.has_perm("tickets.change_ticket") is True  # the admin site keeps the shortcut


@pytest.mark.django_db
def test_a_rules_name_is_answered_without_reading_model_permissions(org, django_assert_num_queries):
    from django.contrib.auth.models import Permission

    handler = type(org.handler).objects.get(pk=org.handler.pk)  # no cached roles or permissions
    handler.role_codes  # noqa: B018  (the roles query, asked by every page anyway)
    # A Django model permission named like a rules name grants nothing: rules alone decide those names.
    handler.user_permissions.add(Permission.objects.get(codename="view_ticket", content_type__app_label="tickets"))
    handler = type(org.handler).objects.get(pk=org.handler.pk)
    handler.role_codes  # noqa: B018
    with django_assert_num_queries(0):
        assert handler.has_perm("org.use_admin") is False
        assert handler.has_perm("reviews.view_dashboard") is False
        assert handler.has_perm("tickets.view_ticket") is False


@pytest.mark.django_db
def test_model_permissions_still_answer_the_names_rules_does_not_define(org):
    from django.contrib.auth.models import Permission

    assert org.handler.has_perm("workdays.change_calendarday") is False
    org.handler.user_permissions.add(Permission.objects.get(codename="change_calendarday"))
    handler = type(org.handler).objects.get(pk=org.handler.pk)
    assert handler.has_perm("workdays.change_calendarday") is True
