"""Signing in: lockout of the account after repeated failures (django-axes), the same answers for a name that
does not exist, the administrator's unlock, a new session key at signing in."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from org.tests.factories import PASSWORD
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
LOCKED = "登录失败次数过多：此账号在最后一次尝试后锁定 30 分钟。管理员可以解锁。"
WRONG = "请输入一个正确的用户名和密码。注意，两者都区分大小写。"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_in(client, username: str, password: str, address: str = "10.1.1.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def form_errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_with_the_right_password_after_five_failures_is_refused_as_locked(client, org, frozen):
    for _ in range(5):
        sign_in(client, org.handler.username, "wrong-password-1")

    response = sign_in(client, org.handler.username, PASSWORD)

    assert (response.status_code, form_errors(response), signed_in(client)) == (200, [LOCKED], False)


def test_login_four_failures_then_the_right_password_signs_in_and_clears_the_count(client, org, frozen):
    for _ in range(4):
        sign_in(client, org.handler.username, "wrong-password-1")

    response = sign_in(client, org.handler.username, PASSWORD)

    assert (response.status_code, signed_in(client)) == (302, True)
    assert AccessAttempt.objects.filter(username=org.handler.username).count() == 0


def test_login_lockout_is_of_the_account_not_of_the_shared_office_address(client, org, frozen):
    for _ in range(5):
        sign_in(client, org.handler.username, "wrong-password-1", address="10.9.9.9")

    response = sign_in(client, org.dispatcher.username, PASSWORD, address="10.9.9.9")

    assert (response.status_code, signed_in(client)) == (302, True)


def test_login_lockout_follows_the_account_to_another_address(client, org, frozen):
    for index in range(5):
        sign_in(client, org.handler.username, "wrong-password-1", address=f"10.0.0.{index}")

    response = sign_in(client, org.handler.username, PASSWORD, address="10.200.0.1")

    assert (form_errors(response), signed_in(client)) == ([LOCKED], False)


def test_login_answers_an_unknown_name_as_a_known_one_before_and_after_the_lockout(client, org, frozen):
    known = [sign_in(client, org.handler.username, "wrong-password-1") for _ in range(6)]
    unknown = [sign_in(client, "nobody-of-that-name", "wrong-password-1") for _ in range(6)]

    assert [(r.status_code, form_errors(r)) for r in known] == [(200, [WRONG])] * 4 + [(200, [LOCKED])] * 2
    assert [(r.status_code, form_errors(r)) for r in unknown] == [(200, [WRONG])] * 4 + [(200, [LOCKED])] * 2


def test_login_lockout_ends_after_the_cool_off_time(client, org, frozen):
    for _ in range(5):
        sign_in(client, org.handler.username, "wrong-password-1")

    frozen.shift(dt.timedelta(minutes=31))
    response = sign_in(client, org.handler.username, PASSWORD)

    assert (response.status_code, signed_in(client)) == (302, True)


def test_login_lockout_settings_set_the_limit(client, org, frozen, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(client, org.handler.username, "wrong-password-1")

    response = sign_in(client, org.handler.username, PASSWORD)

    assert form_errors(response) == [LOCKED]


def test_admin_unlock_action_lets_a_locked_account_sign_in(client, org, frozen):
    for _ in range(5):
        sign_in(client, org.handler.username, "wrong-password-1")
    admin = client.__class__()
    admin.force_login(org.admin)

    unlocked = admin.post(
        reverse("admin:org_user_changelist"), {"action": "unlock", "_selected_action": [org.handler.pk]}
    )
    response = sign_in(client, org.handler.username, PASSWORD)

    assert unlocked.status_code == 302
    assert (response.status_code, signed_in(client)) == (302, True)


def test_unlock_action_is_not_offered_to_a_handler(client, org):
    client.force_login(org.handler)

    response = client.post(
        reverse("admin:org_user_changelist"), {"action": "unlock", "_selected_action": [org.handler.pk]}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_sign_in_is_locked_the_same_way(client, org, frozen):
    for _ in range(5):
        sign_in(client, org.admin.username, "wrong-password-1")

    response = client.post(reverse("admin:login"), {"username": org.admin.username, "password": PASSWORD})

    assert (response.status_code, list(response.context["form"].non_field_errors())) == (200, [LOCKED])


def test_login_gives_the_session_a_new_key(client, org):
    session = client.session
    session["before"] = "anonymous"
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    sign_in(client, org.handler.username, PASSWORD)

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert (after != before, signed_in(client)) == (True, True)


def test_login_unknown_name_costs_the_same_password_hashing_and_queries_as_a_known_one(client, org, frozen):
    # "the same time": the work that takes the time (hashing, queries) is the same, measured without a clock
    from unittest import mock

    from django.contrib.auth.hashers import get_hasher
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hasher = type(get_hasher())
    costs = []
    for username in (org.handler.username, "nobody-of-that-name"):
        with (
            mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode,
            CaptureQueriesContext(connection) as queries,
        ):
            sign_in(client, username, "wrong-password-1")
        costs.append((encode.call_count, len(queries)))

    assert costs[0] == costs[1]
    assert costs[0][0] == 1


def test_admin_lists_failed_sign_ins_in_chinese(client, org, frozen):
    for _ in range(5):
        sign_in(client, org.handler.username, "wrong-password-1")
    admin = client.__class__()
    admin.force_login(org.admin)

    response = admin.get(reverse("admin:axes_accessattempt_changelist"))
    body = response.content.decode()

    assert response.status_code == 200
    assert ("登录尝试" in body, "失败次数" in body, org.handler.username in body) == (True, True, True)
