from org.backends import StaffBackend


def test_signed_in_member_comes_with_the_unit_and_the_role_codes(org, django_assert_num_queries):
    from org.choices import RoleCode
    from org.models import Role

    org.handler.roles.add(Role.objects.get(code=RoleCode.UNIT_DEPUTY))

    with django_assert_num_queries(1):
        user = StaffBackend().get_user(org.handler.pk)
        assert (user, user.unit.bureau_id) == (org.handler, org.bureau.pk)
        assert user.role_codes == {RoleCode.HANDLER, RoleCode.UNIT_DEPUTY}


def test_signed_in_member_without_roles_has_none(org):
    org.handler.roles.clear()

    assert StaffBackend().get_user(org.handler.pk).role_codes == frozenset()


def test_deactivated_member_is_not_signed_in(org):
    org.handler.is_active = False
    org.handler.save()

    assert StaffBackend().get_user(org.handler.pk) is None


def test_unknown_member_is_not_signed_in(org):
    assert StaffBackend().get_user(10**9) is None


def test_signing_in_with_the_password_uses_this_backend(client, org):
    org.handler.set_password("a-long-password-2026")
    org.handler.save()

    client.post("/login/", {"username": org.handler.username, "password": "a-long-password-2026"})

    assert client.session["_auth_user_backend"] == "org.backends.StaffBackend"
