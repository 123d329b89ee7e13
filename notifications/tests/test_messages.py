import pytest
from django.urls import reverse

from notifications.messages import render

pytestmark = pytest.mark.django_db


def digest(tier: int, work_orders: int) -> dict:
    return {"tier": tier, "work_orders": work_orders, "reminders": work_orders}


@pytest.mark.parametrize(
    ("tier", "subject"),
    [
        (1, "Reminder: 60 work orders are due soon"),
        (2, "Urging: 60 work orders have only their due day left"),
        (3, "Warning: 60 work orders are overdue"),
    ],
)
def test_digest_subject_names_the_tier_and_the_count(tier, subject):
    assert render("escalation.digest", digest(tier, 60), language="en").subject == subject


def test_digest_of_one_work_order_says_so_in_the_singular():
    message = render("escalation.digest", digest(3, 1), language="en")

    assert message.subject == "Warning: 1 work order is overdue"
    assert message.body.startswith("One reminder sweep found 1 work order at this tier;")


def test_digest_in_chinese():
    message = render("escalation.digest", digest(2, 60), language="zh-hans")

    assert (message.subject, message.body) == (
        "催办：60 件工单仅剩到期日",
        "本次催办扫描中有 60 件工单同时达到这一级别，合并为本条通知，不再逐件发送。",
    )


def test_digest_links_to_the_page_the_reader_may_open(org):
    readers = {"handler": org.handler, "unit leader": org.unit_leader, "chief": org.chief, "dispatcher": org.dispatcher}

    links = {name: render("escalation.digest", digest(3, 60), viewer=user).link for name, user in readers.items()}

    assert links == {
        "handler": reverse("notifications:due"),
        "unit leader": reverse("notifications:due"),
        "chief": reverse("notifications:tiers"),
        "dispatcher": "",
    }


def test_other_notifications_have_no_link(org):
    message = render("ticket.urged", {"external_id": "SH-1", "message": "快"}, viewer=org.chief)

    assert message.link == ""


def test_urging_message_with_a_phone_number_is_masked_in_every_channel():
    message = render(
        "ticket.urged", {"external_id": "SH-1", "message": "市民13812345678再次来电催办"}, language="zh-hans"
    )

    assert (message.subject, message.body) == ("平台督办工单 SH-1", "平台督办工单 SH-1：市民138****5678再次来电催办")


def test_reminder_with_an_id_number_in_the_title_is_masked():
    message = render(
        "escalation.tier1",
        {"external_id": "SH-2", "title": "身份证310101199001011234被冒用", "clock": "", "due_at": ""},
        language="en",
    )

    assert (
        message.body
        == "Work order SH-2 (身份证31*************234被冒用): the deadline “” is . Please handle it in time."
    )


def test_tier_two_on_a_saturday_for_a_monday_deadline_names_the_day_not_today():
    data = {"external_id": "SH-1", "title": "预付卡", "clock": "reply", "due_at": "2026-12-07T23:59:59+08:00"}

    message = render("escalation.tier2", data, language="zh-hans")

    assert "今日" not in message.subject + message.body
    assert message.subject == "催办：工单 SH-1 将于 2026-12-07（最后一个工作日）到期"
