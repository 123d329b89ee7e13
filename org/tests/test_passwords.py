"""Password rules (length, kinds of characters, not one of the last five) and the periodic change."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from org.models import PasswordHistory
from org.passwords import character_classes
from org.tests.factories import PASSWORD
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
CHANGE = reverse("password_change")
TOO_FEW_CLASSES = "密码须至少包含以下四类字符中的 3 类：小写字母、大写字母、数字、其他字符。"
REUSED = "新密码不能与最近 5 次使用过的密码（含当前密码）相同。"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def codes(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def change(client, old: str, new: str):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(
    ("password", "classes"),
    [("abcdefgh", 1), ("abcd1234", 2), ("Abcd1234", 3), ("abcd-123", 3), ("Ab1-xyzw", 4), ("市场监管abc1", 3)],
)
def test_character_classes_counts_lower_upper_digits_and_the_rest(password, classes):
    assert character_classes(password) == classes


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1-x", ["password_too_short"]),
        ("river-stone", ["password_too_few_classes"]),
        ("river-stone-7", []),
        ("Riverstone7", []),
    ],
)
def test_password_rules_default_to_8_characters_of_3_kinds(db, password, expected):
    assert codes(password) == expected


def test_password_rules_come_from_settings(db, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "org.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 4}},
    ]

    assert codes("river-stone-7") == ["password_too_few_classes"]


def test_password_change_page_refuses_too_few_kinds_of_characters(client, org):
    client.force_login(org.handler)

    response = change(client, PASSWORD, "riverstonesx")

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [TOO_FEW_CLASSES]


def test_password_change_page_refuses_the_current_password(client, org):
    client.force_login(org.handler)

    response = change(client, PASSWORD, PASSWORD)

    assert response.context["form"].errors["new_password2"] == [REUSED]


def test_password_change_refuses_each_of_the_last_five_and_allows_the_sixth_back(client, org):
    client.force_login(org.handler)
    sequence = ["Summer-2026a", "Summer-2026b", "Summer-2026c", "Summer-2026d", "Summer-2026e"]
    current = PASSWORD
    for password in sequence:
        assert change(client, current, password).status_code == 302
        current = password

    refused = [change(client, current, old).status_code for old in sequence[1:]]
    first_back = change(client, current, PASSWORD)

    # the history keeps the last five: Summer-2026a..e; the original password is six changes back
    assert (refused, first_back.status_code) == ([200, 200, 200, 200], 302)
    assert PasswordHistory.objects.filter(user=org.handler).count() == 5


def test_password_change_page_changes_it_and_keeps_the_session(client, org):
    client.force_login(org.handler)

    response = change(client, PASSWORD, "Lantern-river-42")
    org.handler.refresh_from_db()

    assert (response.status_code, response["Location"]) == (302, reverse("home"))
    assert org.handler.check_password("Lantern-river-42") is True
    assert client.get(reverse("home"))["Location"] != reverse("login") + "?next=/"


def test_password_older_than_90_days_sends_every_page_to_the_change(client, org, frozen):
    org.handler.password_changed_at = NOW - dt.timedelta(days=91)
    org.handler.save(update_fields=["password_changed_at"])
    client.force_login(org.handler)

    page = client.get(reverse("tickets:my_work"))
    api = client.get("/api/v1/staff/tickets/")

    assert (page.status_code, page["Location"]) == (302, f"{CHANGE}?next=%2Ftickets%2Fmine%2F")
    assert (api.status_code, api.json()["error"]["code"]) == (403, "password_expired")


def test_password_younger_than_90_days_is_not_asked_for(client, org, frozen):
    org.handler.password_changed_at = NOW - dt.timedelta(days=89)
    org.handler.save(update_fields=["password_changed_at"])
    client.force_login(org.handler)

    page = client.get(reverse("tickets:my_work"))

    assert page.status_code == 200


def test_password_expired_then_changed_opens_the_pages_again(client, org, frozen):
    org.handler.password_changed_at = NOW - dt.timedelta(days=91)
    org.handler.save(update_fields=["password_changed_at"])
    client.force_login(org.handler)

    form = client.get(CHANGE)
    changed = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "Lantern-river-42",
            "new_password2": "Lantern-river-42",
            "next": "/tickets/mine/",
        },
    )
    page = client.get(reverse("tickets:my_work"))

    assert (form.status_code, form.context["expired"]) == (200, True)
    assert (changed.status_code, changed["Location"]) == (302, "/tickets/mine/")
    assert page.status_code == 200


def test_password_change_never_sends_to_another_site(client, org):
    client.force_login(org.handler)

    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "Lantern-river-42",
            "new_password2": "Lantern-river-42",
            "next": "https://evil.example.com/",
        },
    )

    assert response["Location"] == reverse("home")


def test_password_max_age_zero_never_expires(client, org, frozen, settings):
    settings.HOTLINE_PASSWORD_MAX_AGE_DAYS = 0
    org.handler.password_changed_at = NOW - dt.timedelta(days=900)
    org.handler.save(update_fields=["password_changed_at"])
    client.force_login(org.handler)

    assert client.get(reverse("tickets:my_work")).status_code == 200


def test_password_change_page_needs_a_sign_in(client, db):
    response = client.get(CHANGE)

    assert (response.status_code, response["Location"]) == (302, f"{reverse('login')}?next={CHANGE}")


def _signs_in(client, username: str, password: str):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password})


def test_password_set_by_an_administrator_is_changed_at_the_next_sign_in(client, org):
    client.force_login(org.admin)
    set_page = client.post(
        reverse("admin:auth_user_password_change", args=[org.handler.pk]),
        {"password1": "Given-by-admin-7", "password2": "Given-by-admin-7", "usable_password": "true"},
    )
    org.handler.refresh_from_db()
    assert set_page.status_code == 302 and org.handler.password_change_required is True

    _signs_in(client, org.handler.username, "Given-by-admin-7")
    page = client.get(reverse("tickets:my_work"))
    api = client.get("/api/v1/staff/tickets/")
    form = client.get(CHANGE)
    assert (page.status_code, page["Location"]) == (302, f"{CHANGE}?next=%2Ftickets%2Fmine%2F")
    assert (api.status_code, api.json()["error"]["code"]) == (403, "password_expired")
    assert "管理员为您设置了密码" in form.content.decode()

    changed = client.post(
        CHANGE,
        {"old_password": "Given-by-admin-7", "new_password1": "Lantern-river-42", "new_password2": "Lantern-river-42"},
    )
    org.handler.refresh_from_db()
    assert changed.status_code == 302 and org.handler.password_change_required is False
    assert client.get(reverse("tickets:my_work")).status_code == 200


def test_account_added_by_an_administrator_changes_its_password_first(client, org, settings):
    settings.HOTLINE_PASSWORD_MAX_AGE_DAYS = 0  # forced whatever the periodic change says
    client.force_login(org.admin)
    client.post(
        reverse("admin:org_user_add"),
        {
            "username": "newclerk",
            "password1": "Given-by-admin-7",
            "password2": "Given-by-admin-7",
            "usable_password": "true",
        },
    )
    from org.models import User

    assert User.objects.get(username="newclerk").password_change_required is True
    _signs_in(client, "newclerk", "Given-by-admin-7")
    assert client.get(reverse("tickets:my_work"))["Location"].startswith(CHANGE)


def test_password_the_member_sets_is_not_forced_again(client, org):
    client.force_login(org.handler)
    change(client, PASSWORD, "Lantern-river-42")
    org.handler.refresh_from_db()

    assert org.handler.password_change_required is False
