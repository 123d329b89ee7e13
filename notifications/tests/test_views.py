import datetime as dt

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Notification
from org.tests.factories import PASSWORD, make_org
from tickets.models import Ticket
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 10, 14, 10, 0, tzinfo=SHANGHAI)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def notify(user, n=1):
    return [
        services.notification_send([user], code="ticket.urged", data={"external_id": f"SH-{i}", "message": "快"})[0]
        for i in range(n)
    ]


def held_ticket(org, unit, handler):
    ticket = make_ticket(org)
    Ticket.objects.filter(pk=ticket.pk).update(unit=unit, handler=handler)
    return ticket


@pytest.mark.parametrize("rows", [1, 3])
def test_list_shows_own_notifications_in_constant_queries(client, org, rows, django_assert_num_queries):
    notify(org.handler, rows)
    notify(org.handler_b)
    login(client, org.handler)

    # session, user with unit and roles, paginator count, the page, bell
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:list"))

    assert (
        response.content.decode().count("The platform urges work order SH-")
        + response.content.decode().count("平台督办工单 SH-")
        == rows * 2
    )


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("0", 1), ("-1", 1), ("99999", 2), ("2", 2)])
def test_list_page_out_of_range_is_the_first_or_the_last_page(client, org, monkeypatch, page, expected):
    from notifications.views import NotificationListView

    monkeypatch.setattr(NotificationListView, "paginate_by", 2)
    notify(org.handler, 3)
    login(client, org.handler)

    response = client.get(reverse("notifications:list"), {"page": page})

    assert (response.status_code, response.context["page"].number) == (200, expected)


@pytest.mark.parametrize("rows", [1, 3])
def test_list_links_each_digest_to_the_page_the_reader_may_open(client, org, rows, django_assert_num_queries):
    services.notifications_store_unpublished(
        [
            (org.chief.pk, "escalation.digest", {"tier": 3, "work_orders": 60 + n, "reminders": 60 + n})
            for n in range(rows)
        ],
        created_at=NOW,
    )
    login(client, org.chief)

    # as for any other notification: a digest's link costs no query (the roles are read for navigation)
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:list"))

    link = f'<a href="{reverse("notifications:tiers")}">预警：60 件工单已超期</a>'
    assert (
        response.content.decode().count(reverse("notifications:tiers") + '">预警：'),
        link in response.content.decode(),
    ) == (
        rows,
        True,
    )


def test_mark_read_marks_and_returns_to_the_list(client, org):
    row = notify(org.handler)[0]
    login(client, org.handler)

    response = client.post(reverse("notifications:mark_read", args=[row.pk]))

    row.refresh_from_db()
    assert (response.status_code, response["Location"], row.is_read) == (302, reverse("notifications:list"), True)


def test_mark_read_of_someone_elses_notification_is_404(client, org):
    row = notify(org.handler_b)[0]
    login(client, org.handler)

    response = client.post(reverse("notifications:mark_read", args=[row.pk]))

    row.refresh_from_db()
    assert (response.status_code, row.is_read) == (404, False)


def test_mark_read_on_get_changes_nothing(client, org):
    row = notify(org.handler)[0]
    login(client, org.handler)

    response = client.get(reverse("notifications:mark_read", args=[row.pk]))

    row.refresh_from_db()
    assert (response.status_code, row.is_read) == (405, False)


def test_mark_all_read_touches_only_own(client, org):
    notify(org.handler, 2)
    other = notify(org.handler_b)[0]
    login(client, org.handler)

    client.post(reverse("notifications:mark_all_read"))

    other.refresh_from_db()
    assert (Notification.objects.filter(recipient=org.handler, read_at__isnull=True).count(), other.is_read) == (
        0,
        False,
    )


def test_bell_shows_the_unread_count(client, org):
    notify(org.handler, 2)
    login(client, org.handler)

    response = client.get(reverse("home"), follow=True)

    assert '<span class="count">2</span>' in response.content.decode()


def test_bell_stops_counting_past_99(client, org):
    notify(org.handler, 105)
    login(client, org.handler)

    body = client.get(reverse("home"), follow=True).content.decode()

    assert ('<span class="count">99+</span>' in body, "超过 99 条未读通知" in body) == (True, True)


def test_bell_is_an_icon_not_an_emoji(client, org):
    # QA: the emoji bell showed as an empty box on machines without an emoji font.
    login(client, org.handler)

    body = client.get(reverse("home"), follow=True).content.decode()

    assert ('class="bell-icon"' in body, "\U0001f514" in body) == (True, False)


@pytest.mark.parametrize("rows", [1, 3])
def test_due_panel_lists_a_handlers_clocks_due_soon(
    client, org, calendar_2026, rows, time_machine, django_assert_num_queries
):
    for _ in range(rows):
        held_ticket(org, org.office_a, org.handler)
    held_ticket(org, org.office_b, org.handler_b)
    time_machine.move_to(NOW)
    login(client, org.handler)

    # session, user with unit and roles, tier-1 rule, clocks with tickets, bell (the calendar is cached)
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:due"))

    body = response.content.decode()
    # Oct 14: first contact (Oct 8) overdue, acceptance (Oct 15) in the window, reply (Oct 27) not yet
    assert (body.count('class="due-overdue"'), body.count('class="due-soon"')) == (rows, rows)


def test_due_panel_of_a_unit_leader_shows_the_unit_not_other_units(client, org, calendar_2026, time_machine):
    held_ticket(org, org.office_a, org.handler)
    other = held_ticket(org, org.office_b, org.handler_b)
    time_machine.move_to(NOW)
    login(client, org.unit_leader)

    body = client.get(reverse("notifications:due")).content.decode()

    assert (body.count("due-overdue"), other.external_id in body) == (1, False)


def test_due_panel_is_refused_to_a_section_chief(client, org):
    login(client, org.chief)

    assert client.get(reverse("notifications:due")).status_code == 403


@pytest.mark.parametrize("units_with_clocks", [1, 3])
def test_tier_counts_per_unit(client, org, calendar_2026, time_machine, units_with_clocks, django_assert_num_queries):
    from tickets.escalation import escalation_sweep

    for unit in [org.office_a, org.office_b, org.food][:units_with_clocks]:
        held_ticket(org, unit, None)
    time_machine.move_to(NOW)
    escalation_sweep(now=NOW)
    login(client, org.chief)

    # session, user with unit and roles, the counts, bell
    with django_assert_num_queries(4):
        response = client.get(reverse("notifications:tiers"))

    units = {row["name"]: (row["overdue"], row["tier1"], row["tier3"]) for row in response.context["units"]}
    assert units[org.office_a.name] == (1, 1, 1)
    assert sum(1 for value in units.values() if value == (1, 1, 1)) == units_with_clocks


def test_tier_counts_show_only_the_users_bureau(client, org, calendar_2026):
    held_ticket(org, org.office_a, org.handler)
    elsewhere = make_org("qp")
    login(client, elsewhere.chief)

    response = client.get(reverse("notifications:tiers"))

    assert {row["name"] for row in response.context["units"]} == {u.name for u in elsewhere.bureau.units.all()}


def test_tier_counts_are_refused_to_a_handler(client, org):
    login(client, org.handler)

    assert client.get(reverse("notifications:tiers")).status_code == 403
