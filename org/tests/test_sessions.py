"""A session ends after 30 minutes without a request and 8 hours after signing in (settings), whatever the
activity; an active clerk stays signed in until then."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def still_signed_in(client) -> bool:
    """The home page sends a signed-in member to a start page and a visitor to the sign-in page."""
    response = client.get(reverse("home"))
    return not response["Location"].startswith(reverse("login"))


def test_session_used_every_15_minutes_outlives_the_idle_limit(client, org, frozen):
    client.force_login(org.handler)
    answers = []

    for _ in range(6):  # 90 minutes of work, a request every 15
        frozen.shift(dt.timedelta(minutes=15))
        answers.append(still_signed_in(client))

    assert answers == [True] * 6


def test_session_left_alone_for_the_idle_limit_is_signed_out(client, org, frozen):
    client.force_login(org.handler)

    frozen.shift(dt.timedelta(minutes=29))
    before = still_signed_in(client)
    frozen.shift(dt.timedelta(minutes=30))
    after = still_signed_in(client)

    assert (before, after) == (True, False)


def test_session_signed_out_for_idleness_says_why_on_the_sign_in_page(client, org, frozen):
    client.force_login(org.handler)
    frozen.shift(dt.timedelta(minutes=31))

    page = client.get(reverse("home"), follow=True)

    assert [str(m) for m in page.context["messages"]] == ["会话已过期，您已退出登录。"]


def test_session_in_use_ends_at_the_absolute_limit(client, org, frozen):
    client.force_login(org.handler)
    answers = []

    for _ in range(16):  # a request every 29 minutes: 7 h 44 min
        frozen.shift(dt.timedelta(minutes=29))
        answers.append(still_signed_in(client))
    frozen.shift(dt.timedelta(minutes=17))  # 8 h 01 min after signing in
    answers.append(still_signed_in(client))

    assert answers == [True] * 16 + [False]


def test_session_limits_come_from_settings(client, org, frozen, settings):
    settings.HOTLINE_SESSION_IDLE_MINUTES = 5
    client.force_login(org.handler)

    frozen.shift(dt.timedelta(minutes=6))

    assert still_signed_in(client) is False


def test_session_expired_on_the_staff_api_answers_as_not_signed_in(client, org, frozen):
    client.force_login(org.handler)
    frozen.shift(dt.timedelta(minutes=31))

    response = client.get("/api/v1/staff/tickets/")

    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")


def test_session_records_activity_at_most_once_a_minute(client, org, frozen):
    client.force_login(org.handler)
    client.get(reverse("home"))
    key = client.session.session_key
    stored = Session.objects.get(session_key=key).session_data

    frozen.shift(dt.timedelta(seconds=30))
    client.get(reverse("home"))
    unchanged = Session.objects.get(session_key=key).session_data
    frozen.shift(dt.timedelta(seconds=31))
    client.get(reverse("home"))
    changed = Session.objects.get(session_key=key).session_data

    assert (unchanged == stored, changed == stored) == (True, False)
