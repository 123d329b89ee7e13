import pytest
from django.core.management import call_command
from django.urls import reverse

from org.demo import ACCOUNTS, DEMO_PASSWORD
from org.tests.factories import PASSWORD
from tickets.models import Ticket


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body
    assert "用户名" in body


@pytest.mark.django_db
def test_login_page_in_english_when_the_cookie_asks(client):
    client.cookies["django_language"] = "en"

    body = client.get(reverse("login")).content.decode()

    assert '<html lang="en">' in body
    assert "Sign in" in body


@pytest.mark.django_db
def test_every_demo_account_logs_in_and_sees_home(client):
    call_command("seed_demo", "--tickets", "12", stdout=open("/dev/null", "w"))  # noqa: SIM115

    for username, *_ in ACCOUNTS:
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert response["Location"] == reverse("home")
        home = client.get(reverse("home"), follow=True)
        assert home.status_code == 200, username
        assert home.context["user"].username == username
        assert home.request["PATH_INFO"] != reverse("login")


@pytest.mark.django_db
def test_seed_demo_twice_creates_nothing_more(django_user_model):
    call_command("seed_demo", "--tickets", "12", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count = django_user_model.objects.count()

    call_command("seed_demo", "--tickets", "12", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert django_user_model.objects.count() == count == len(ACCOUNTS)
    # the --tickets demo work orders; the cluster alerts' demo has its own (alerts/demo.py), and the dispatch demo
    # its four (tickets/demo.py: assisting units, objections), each made once
    demo = Ticket.objects.exclude(external_id__startswith="SH12345-ALERTDEMO-").exclude(
        external_id__startswith="SH12345-DISPATCHDEMO-"
    )
    assert demo.count() == 12
    assert Ticket.objects.filter(external_id__startswith="SH12345-DISPATCHDEMO-").count() == 4
    assert Ticket.objects.filter(external_id__startswith="SH12345-ALERTDEMO-").count() == Ticket.objects.count() - 16
    assert sorted(set(demo.values_list("status", flat=True))) == sorted(
        # The demo reviews then move the tickets in review on to completion (a 不属实 reply goes with its
        # evidence, so the section's check passes).
        [
            "received",
            "dispatched",
            "accepted",
            "in_progress",
            "completed",
            "archived",
            "reopened",
            "returned_to_platform",
        ]
    )


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_navigation_shows_administration_only_to_administrators(client, org):
    client.login(username=org.handler.username, password=PASSWORD)
    handler_nav = [item["url"] for item in client.get(reverse("home"), follow=True).context["nav_items"]]
    client.login(username=org.admin.username, password=PASSWORD)
    admin_nav = [item["url"] for item in client.get(reverse("home"), follow=True).context["nav_items"]]

    assert reverse("admin:index") not in handler_nav
    assert reverse("admin:index") in admin_nav


@pytest.mark.django_db
def test_navigation_follows_a_change_of_roles_and_marks_the_current_page(client, org):
    from org.choices import RoleCode
    from org.models import Role

    client.force_login(org.handler)
    before = client.get(reverse("tickets:my_work")).context["nav_items"]
    org.handler.roles.add(Role.objects.get(code=RoleCode.SECTION_CHIEF))
    after = client.get(reverse("tickets:my_work")).context["nav_items"]

    assert reverse("reviews:dashboard") not in [item["url"] for item in before]
    assert reverse("reviews:dashboard") in [item["url"] for item in after]
    assert [item["url"] for item in after if item["active"]] == [reverse("tickets:my_work")]


@pytest.mark.django_db
def test_language_switch_remembers_choice_on_the_account(client, org):
    client.login(username=org.handler.username, password=PASSWORD)

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    org.handler.refresh_from_db()
    assert org.handler.language == "en"
    assert "Sign out" in client.get(reverse("home"), follow=True).content.decode()


@pytest.mark.django_db
def test_language_switch_ignores_unknown_language_and_foreign_redirect(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "django_language" not in response.cookies


@pytest.mark.django_db
def test_language_switch_refuses_get(client):
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.django_db
def test_calendar_banner_warns_administrators_about_missing_year(client, org):
    call_command("load_calendar", "--year", "2026", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.login(username=org.admin.username, password=PASSWORD)

    body = client.get(reverse("home"), follow=True).content.decode()

    assert "尚未录入 2027 年的节假日安排" in body


@pytest.mark.django_db
def test_calendar_banner_hidden_from_handlers(client, org):
    client.login(username=org.handler.username, password=PASSWORD)

    body = client.get(reverse("home"), follow=True).content.decode()

    assert "节假日安排" not in body


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))

    assert "script-src 'self';" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_schema_is_served_without_authentication(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


# QA: the error pages were Django's bare English ones ("Not Found", "Forbidden") on the Chinese UI.
@pytest.mark.django_db
def test_unknown_work_order_answers_a_chinese_404_page(client, org):
    client.force_login(org.handler)

    response = client.get("/tickets/999999/")

    body = response.content.decode()
    assert (response.status_code, "Not Found" in body) == (404, False)
    assert "该页面或工单不存在，或属于其他单位。" in body


@pytest.mark.django_db
def test_page_of_another_role_answers_a_chinese_403_page(client, org):
    client.force_login(org.handler)

    response = client.get(reverse("reviews:dashboard"))

    body = response.content.decode()
    assert (response.status_code, "Forbidden" in body) == (403, False)
    assert "您的角色无权进行此操作" in body


def test_server_error_page_is_chinese_and_needs_no_database(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert (response.status_code, "系统错误" in response.content.decode()) == (500, True)


@pytest.mark.django_db
def test_admin_header_names_the_system(client, org):
    client.force_login(org.admin)

    response = client.get(reverse("admin:index"))

    assert (response.status_code, "热线工单系统管理" in response.content.decode()) == (200, True)


@pytest.mark.django_db
def test_seed_demo_shows_assisting_units_and_objections():
    from tickets.models import DispatchObjection, TicketAssist

    call_command("seed_demo", "--tickets", "12", stdout=open("/dev/null", "w"))  # noqa: SIM115

    demo = {"ticket__external_id__startswith": "SH12345-DISPATCHDEMO-"}
    assert sorted(TicketAssist.objects.filter(**demo).values_list("status", flat=True)) == ["done", "requested"]
    assert sorted(DispatchObjection.objects.filter(**demo).values_list("status", flat=True)) == ["pending", "upheld"]
    upheld = DispatchObjection.objects.get(status="upheld", **demo)
    assert upheld.ticket.unit_id == upheld.new_unit_id != upheld.unit_id
    # made through the services: on the timeline
    assert upheld.ticket.events.filter(code="redispatched").exists()


@pytest.mark.django_db
def test_seed_demo_runs_one_reminder_sweep_so_the_tier_counts_are_not_all_zero(client):
    # QA: "各单位预警统计" showed tiers 1-3 all 0 on the demo while clocks were overdue (no beat had run).
    from tickets.choices import ClockStatus
    from tickets.models import Escalation, TicketClock

    call_command("seed_demo", "--tickets", "40", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.post(reverse("login"), {"username": "chief", "password": DEMO_PASSWORD})

    response = client.get(reverse("notifications:tiers"))

    units = response.context["units"]
    # the page counts per unit: work orders still in the dispatcher's inbox have none
    overdue_open = TicketClock.objects.filter(
        status=ClockStatus.OPEN, escalation_tier=3, ticket__unit__isnull=False
    ).count()
    assert Escalation.objects.exists()
    assert sum(unit["tier3"] for unit in units) == overdue_open > 0
    assert sum(unit["tier1"] + unit["tier2"] + unit["tier3"] for unit in units) > 0
