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
        page.set_input_files("#form-upload input[type=file]", str(photo))
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


# ---------------------------------------------------------------- pausing a deadline (item 4)


@pytest.mark.django_db
def test_a_pause_needs_a_reason_from_the_list_and_keeps_it_on_the_clocks(org):
    from django.core.exceptions import ValidationError

    from tickets.choices import ClockStatus

    ticket = in_progress(org)
    with pytest.raises(ValidationError) as no_reason:
        services.ticket_pause_clocks(ticket, actor=org.handler, reason="送检")
    with pytest.raises(ValidationError) as unexplained:
        services.ticket_pause_clocks(ticket, actor=org.handler, reason_code="unreachable")
    services.ticket_pause_clocks(ticket, actor=org.handler, reason_code="unreachable", reason="三次电话、一次上门未果")

    assert "reason_code" in no_reason.value.message_dict and "reason" in unexplained.value.message_dict
    paused = list(ticket.clocks.filter(status=ClockStatus.PAUSED).values_list("pause_reason", "pause_note"))
    assert paused and set(paused) == {("unreachable", "三次电话、一次上门未果")}


@pytest.mark.django_db
def test_an_overdue_deadline_is_paused_only_on_the_sections_approval(org):
    from django.core.exceptions import ValidationError

    from tickets.choices import ClockStatus, RequestKind

    ticket = in_progress(org)
    ticket.clocks.filter(status=ClockStatus.OPEN).update(due_at=timezone.now() - dt.timedelta(days=1))
    ticket = Ticket.objects.get(pk=ticket.pk)

    assert not org.handler.has_perm("tickets.pause_clocks", ticket)
    assert org.handler.has_perm("tickets.request_pause", ticket)
    with pytest.raises(ValidationError):
        services.ticket_pause_clocks(ticket, actor=org.handler, reason_code="assistance")
    request = services.ticket_request_pause(ticket, actor=org.handler, reason_code="assistance", reason="待公安协查")
    assert request.kind == RequestKind.PAUSE and not ticket.clocks.filter(status=ClockStatus.PAUSED).exists()

    services.request_decide(request, actor=org.reviewer, is_approved=True, note="同意")

    assert set(ticket.clocks.exclude(status__in=["met", "cancelled"]).values_list("status", "pause_reason")) == {
        ("paused", "assistance")
    }
    codes = list(ticket.events.values_list("code", flat=True))
    assert codes[-3:] == ["pause_requested", "pause_approved", "clocks_paused"]


@pytest.mark.django_db
def test_the_staff_api_asks_the_same_pause_rules(org):
    from rest_framework.test import APIClient

    from tickets.choices import ClockStatus

    ticket = in_progress(org)
    ticket.clocks.filter(status=ClockStatus.OPEN).update(due_at=timezone.now() - dt.timedelta(days=1))
    api = APIClient()
    api.force_login(org.handler)
    base = f"/api/v1/staff/tickets/{ticket.pk}"

    pause = api.post(f"{base}/pause/", {"reason_code": "testing"}, format="json")
    unknown = api.post(f"{base}/pause-request/", {"reason_code": "weather"}, format="json")
    asked = api.post(f"{base}/pause-request/", {"reason_code": "testing", "reason": "样品送检"}, format="json")

    assert (pause.status_code, unknown.status_code, asked.status_code) == (409, 400, 200)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pausing_needs_a_reason_and_an_overdue_deadline_the_sections_approval(live_server, org):
    from tickets.choices import ClockStatus

    running = in_progress(org)
    overdue = in_progress(org)
    overdue.clocks.filter(status=ClockStatus.OPEN).update(due_at=timezone.now() - dt.timedelta(days=2))
    base = live_server.url
    with chromium_page(**WIDE) as page:
        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + f"/tickets/{running.pk}/")
        options = page.locator("#form-pause select[name=pause-reason_code] option").all_inner_texts()
        assert {"检验检测鉴定", "委托鉴定/专家论证", "等待其他部门协查", "不可抗力", "其他"} <= set(options)
        page.select_option("#form-pause select[name=pause-reason_code]", "unreachable")
        page.click("#form-pause button[type=submit]")
        page.wait_for_selector("#form-pause .error, #form-pause .form-errors")
        assert "尝试" in page.locator("#form-pause").inner_text()
        assert page.locator("#form-pause select[name=pause-reason_code]").input_value() == "unreachable"
        page.fill("#form-pause textarea[name=pause-reason]", "三次电话、一次上门均未联系上")
        page.click("#form-pause button[type=submit]")
        page.wait_for_selector(".message-success")
        assert "当事人下落不明/无法联系" in page.locator("ol.timeline").inner_text()
        screenshot(page, "tickets-detail-paused-with-reason")

        page.goto(base + f"/tickets/{overdue.pk}/")
        assert page.locator("#form-pause").count() == 0
        assert "须经科室批准" in page.locator("#steps").inner_text()
        page.select_option("#form-pause_request select[name=pause-reason_code]", "assistance")
        page.click("#form-pause_request button[type=submit]")
        page.wait_for_selector(".message-success")
        assert "等待其他部门协查" in page.locator("#requests").inner_text()
        page.click('.topbar form[action="/logout/"] button')
        page.wait_for_url(base + "/login/")

        sign_in(page, base, org.reviewer.username, PASSWORD)
        page.goto(base + "/tickets/requests/")
        assert "等待其他部门协查" in page.locator("table.data").inner_text()
        screenshot(page, "tickets-requests-pause-of-an-overdue-deadline")
        page.click("table.data button[name=is_approved][value='1']")
        page.wait_for_selector(".message-success")

    assert set(overdue.clocks.exclude(status__in=["met", "cancelled"]).values_list("status", flat=True)) == {"paused"}
    assert running.clocks.filter(status=ClockStatus.PAUSED, pause_reason="unreachable").exists()


# ---------------------------------------------------------------- Chinese everywhere (item 5)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chinese_file_box_dates_any_choices_and_a_phone_tickets_completion(live_server, org, tmp_path, settings):
    from reviews.tests.factories import completed_ticket
    from tickets.choices import Source

    settings.MEDIA_ROOT = tmp_path
    by_phone = completed_ticket(org, source=Source.PHONE)
    ticket = in_progress(org)
    base = live_server.url
    with chromium_page(**WIDE) as page:
        sign_in(page, base, org.reviewer.username, PASSWORD)
        page.goto(base + f"/tickets/{by_phone.pk}/")
        timeline = page.locator("ol.timeline").inner_text()
        assert "已答复市民" in timeline and "平台" not in timeline
        screenshot(page, "tickets-detail-phone-intake-completed")

        for path in ("/reviews/returns/", "/reviews/callbacks/"):
            page.goto(base + path)
            options = page.locator("form.filters option").all_inner_texts()
            assert options and "---------" not in options and "未知" not in options, (path, options)
            assert page.locator("form.filters select[name=unit] option").first.inner_text() == "全部"

        page.goto(base + "/tickets/")
        assert page.locator("html").get_attribute("lang").lower().startswith("zh")
        # the date field is the page's own picker (static/js/date-pick.js), which writes ISO dates
        assert "date-pick-input" in page.locator("input[name=due_before]").get_attribute("class")
        page.click('.topbar form[action="/logout/"] button')
        page.wait_for_url(base + "/login/")

        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        upload = page.locator("#form-upload")
        assert "选择文件" in upload.inner_text() and "未选择文件" in upload.inner_text()
        assert "Choose File" not in upload.inner_text()
        photo = tmp_path / "现场照片.png"
        photo.write_bytes(PNG)
        page.set_input_files("#form-upload input[type=file]", str(photo))
        assert "现场照片.png" in upload.locator(".file-name").inner_text()
        screenshot(page, "tickets-detail-file-box-in-chinese")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_chinese_date_picker_chooses_the_day_a_filter_reads(live_server, org):
    """The date fields' calendar is in the page's language (static/js/date-pick.js), not the browser's."""
    recent = make_ticket(org, received_at=timezone.now() - dt.timedelta(hours=1))
    older = make_ticket(org, received_at=timezone.now() - dt.timedelta(days=10))
    base = live_server.url
    with chromium_page("en-US", **WIDE) as page:  # an English browser, a clerk who reads Chinese
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
        sign_in(page, base, org.dispatcher.username, PASSWORD)
        page.goto(base + "/tickets/")
        assert page.locator("html").get_attribute("lang").lower().startswith("zh")
        field = page.locator("form.filters input[name=received_from]")
        picker = field.locator("xpath=..")
        picker.locator("button.date-pick-button").click()
        calendar = picker.locator("[role=dialog]")
        calendar.wait_for()
        today = dt.date.today()
        assert calendar.locator(".date-pick-title").inner_text() == f"{today.year}年{today.month}月"
        assert calendar.locator("thead th").all_inner_texts() == ["一", "二", "三", "四", "五", "六", "日"]
        assert calendar.locator("[aria-current=date]").get_attribute("data-date") == today.isoformat()
        screenshot(page, "tickets-search-date-picker-in-chinese")

        # the keyboard: three days back, Enter chooses; Escape closes and gives the focus back
        for _ in range(3):
            page.keyboard.press("ArrowLeft")
        page.keyboard.press("Enter")
        chosen = today - dt.timedelta(days=3)
        assert field.input_value() == chosen.isoformat()
        assert calendar.is_hidden()
        picker.locator("button.date-pick-button").click()
        assert calendar.locator(".date-pick-chosen").get_attribute("data-date") == chosen.isoformat()
        page.keyboard.press("Escape")
        assert calendar.is_hidden()

        page.click("form.filters button[type=submit]")
        page.wait_for_url(lambda url: "received_from=" + chosen.isoformat() in url)
        listed = page.locator("main").inner_text()
        assert recent.external_id in listed and older.external_id not in listed

    with chromium_page("zh-CN", **WIDE) as page:  # an English page: English month and weekdays
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
        sign_in(page, base, org.reviewer.username, PASSWORD)
        page.goto(base + "/reports/period/")  # every date field has it: the any-period page's too
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("input.date-pick-input").count() == page.locator("button.date-pick-button").count() > 0
        page.locator("button.date-pick-button").first.click()
        calendar = page.locator(".date-pick [role=dialog]:visible")
        assert calendar.locator("thead th").all_inner_texts() == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        assert calendar.locator(".date-pick-title").inner_text().endswith(str(dt.date.today().year))
        assert "年" not in calendar.inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_date_and_time_field_has_the_chinese_picker_and_a_24_hour_time_box(live_server, org):
    """The first contact's time (a datetime-local field): the same calendar and a time box, the value sent as before."""
    from workdays.calendar import SHANGHAI

    ticket = make_ticket(org, received_at=timezone.now() - dt.timedelta(days=3))
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    base = live_server.url
    with chromium_page("en-US", **WIDE) as page:
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
        sign_in(page, base, org.handler.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        form = page.locator("#form-first_contact")
        assert form.locator("input[type=datetime-local]").count() == 0
        sent = form.locator("input[name=contact-contacted_at]")
        assert sent.get_attribute("type") == "hidden"
        label_for = form.locator("label", has_text="联系时间").get_attribute("for")
        assert "date-pick-input" in form.locator(f"#{label_for}").get_attribute("class")

        form.locator("button.date-pick-button").click()
        calendar = form.locator("[role=dialog]")
        assert "年" in calendar.locator(".date-pick-title").inner_text()
        assert calendar.locator("thead th").all_inner_texts() == ["一", "二", "三", "四", "五", "六", "日"]
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("Enter")
        form.locator("input.date-pick-time").fill("9:30")
        picked = form.locator(f"#{label_for}").input_value()
        assert sent.input_value() == f"{picked}T09:30"
        screenshot(page, "tickets-first-contact-date-and-time-in-chinese")
        form.locator("button[type=submit]").click()
        page.wait_for_selector(".message-success")

    contacted = Ticket.objects.get(pk=ticket.pk).first_contact_at.astimezone(SHANGHAI)
    assert contacted.strftime("%Y-%m-%dT%H:%M") == f"{picked}T09:30"


EMPTY_CHOICES_JS = """() => Array.from(document.querySelectorAll('main select:not([multiple])')).map(s => {
    const empty = Array.from(s.options).find(o => o.value === '');
    return [s.name, empty ? empty.text.trim() : null, Array.from(s.options).map(o => o.text.trim())];
})"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_empty_choice_says_all_in_a_filter_and_choose_in_a_form(live_server, org):
    """No "---------", "未知", "— 请选择 —" or 不限 (issue 18 item 5): 全部 in a filter, 请选择 in a form."""
    received = make_ticket(org, received_at=timezone.now() - dt.timedelta(hours=1))
    base = live_server.url
    pages = {
        org.dispatcher: ["/tickets/new/", f"/tickets/{received.pk}/", "/tickets/", "/dispatch/catalogue/", "/alerts/"],
        org.reviewer: [
            "/reviews/returns/",
            "/reviews/callbacks/",
            "/reviews/supervisions/",
            "/reviews/inspections/new/",
            "/reviews/key-points/",
            "/reviews/training/",
            "/reports/hotspots/",
            "/reports/period/",
            "/tickets/",
        ],
    }
    seen, wrong = 0, []
    with chromium_page(**WIDE) as page:
        for user, paths in pages.items():
            sign_in(page, base, user.username, PASSWORD)
            for path in paths:
                page.goto(base + path)
                for name, empty, texts in page.evaluate(EMPTY_CHOICES_JS):
                    seen += 1
                    if empty is not None and empty not in ("全部", "请选择"):
                        wrong.append((path, name, empty))
                    wrong += [(path, name, text) for text in texts if text in ("---------", "未知")]
            page.click('.topbar form[action="/logout/"] button')
            page.wait_for_url(base + "/login/")

    assert wrong == []
    assert seen > 20
