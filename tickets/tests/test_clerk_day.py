"""Issue 18 (the clerk's day), the work order's part, at 1440 px: evidence rules (item 4)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.browser import chromium_page, screenshot, sign_in
from org.tests.factories import PASSWORD
from tickets import services
from tickets.choices import Status
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

WIDE = {"width": 1440, "height": 900}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def in_progress(org):
    ticket = make_ticket(org, received_at=timezone.now() - dt.timedelta(days=1))
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    return services.ticket_record_first_contact(ticket, actor=org.handler)


@pytest.mark.django_db
def test_a_not_substantiated_reply_without_evidence_is_refused(org):
    from django.core.exceptions import ValidationError

    from reviews.tests.factories import unsubstantiated_results

    ticket = in_progress(org)
    with pytest.raises(ValidationError) as refused:
        services.ticket_submit_reply(ticket, actor=org.handler, reply_text="不属实", results=unsubstantiated_results())

    assert "complaint_finding" in refused.value.message_dict
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_PROGRESS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_not_substantiated_needs_an_attached_piece_of_evidence(live_server, org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    ticket = in_progress(org)
    base = live_server.url
    with chromium_page(**WIDE) as page:
        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        page.check("#form-reply input[name=complaint_finding][value=unsubstantiated]")
        page.select_option("#form-reply select[name=complaint_outcome]", "not_accepted")
        page.fill("#form-reply textarea[name=complaint_grounds]", "经现场检查，未发现所述情况。")
        page.fill("#form-reply textarea[name=reply_text]", "经核查，投诉情况不属实。")
        page.click("#form-reply button[type=submit]")
        page.wait_for_selector("#form-reply .error, #form-reply .form-errors")
        assert "须在工单上附证据材料" in page.locator("#form-reply").inner_text()
        # what was typed is still there
        assert (
            page.locator("#form-reply textarea[name=complaint_grounds]").input_value() == "经现场检查，未发现所述情况。"
        )
        screenshot(page, "tickets-reply-unsubstantiated-needs-evidence")

        photo = tmp_path / "现场照片.png"
        photo.write_bytes(PNG)
        page.set_input_files("input[type=file]", str(photo))
        page.click("#form-upload button[type=submit]")
        page.wait_for_selector(".message-success")
        page.check("#form-reply input[name=complaint_finding][value=unsubstantiated]")
        page.select_option("#form-reply select[name=complaint_outcome]", "not_accepted")
        page.fill("#form-reply textarea[name=complaint_grounds]", "经现场检查，未发现所述情况。")
        page.fill("#form-reply textarea[name=reply_text]", "经核查，投诉情况不属实。")
        page.click("#form-reply button[type=submit]")
        page.wait_for_selector(".message-success")

    assert Ticket.objects.get(pk=ticket.pk).status == Status.UNIT_REVIEW


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chinese_words_where_codes_and_django_placeholders_were(live_server, org):
    from tickets.models import Category

    category = Category.objects.filter(is_active=True).order_by("code").first()
    ticket = make_ticket(org, received_at=timezone.now() - dt.timedelta(hours=2))
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher, category=category)
    base = live_server.url
    with chromium_page(**WIDE) as page:
        sign_in(page, base, org.dispatcher.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        timeline = page.locator("ol.timeline").inner_text()
        assert category.name in timeline and category.code not in timeline
        page.goto(base + "/tickets/")
        filters = page.locator("form.filters").inner_text()
        assert "未知" not in filters and "---------" not in filters
        assert page.locator("select[name=overdue] option").all_inner_texts() == ["全部", "是", "否"]
        screenshot(page, "tickets-search-filters-in-chinese")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_category_is_chosen_from_a_searchable_tree(live_server, org):
    from tickets.models import Category

    catering = Category.objects.get(code="food-catering")
    ticket = make_ticket(org, received_at=timezone.now() - dt.timedelta(hours=1))
    base = live_server.url
    with chromium_page(**WIDE) as page:
        sign_in(page, base, org.dispatcher.username, PASSWORD)
        for path, select in (
            ("/tickets/new/", "#id_category"),
            (f"/tickets/{ticket.pk}/", "#form-dispatch select[name=category]"),
            ("/tickets/", "form.filters select[name=category]"),
        ):
            page.goto(base + path)
            group = page.locator(f"{select} optgroup[label=食品]")
            assert group.evaluate("g => Array.from(g.children).map(o => o.text)") == ["食品", "餐饮服务", "食品销售"]
            search = page.locator(select).locator("xpath=preceding-sibling::input[@type='search'][1]")
            search.fill("餐饮")
            assert page.locator(select).input_value() == str(catering.pk)
            hidden = page.locator(select).evaluate("s => Array.from(s.options).filter(o => o.hidden).map(o => o.text)")
            assert "教育培训" in hidden and "餐饮服务" not in hidden
        screenshot(page, "tickets-search-category-tree")
