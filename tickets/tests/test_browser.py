import pytest

from core import browser
from core.browser import chromium_page, screenshot
from org.tests.factories import PASSWORD
from tickets.choices import Status
from tickets.models import Ticket


def sign_in(page, base_url, user):
    browser.sign_in(page, base_url, user.username, PASSWORD)


def sign_out(page, base_url):
    page.click('.topbar form[action="/logout/"] button')
    page.wait_for_url(base_url + "/login/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_walk_in_from_intake_to_submitted_reply(live_server, org):
    base = live_server.url
    with chromium_page() as page:
        # The dispatcher registers a walk-in complaint, then classifies and dispatches it in one form.
        sign_in(page, base, org.dispatcher)
        page.click("nav.mainnav >> text=登记工单")
        assert page.locator("h1").inner_text() == "登记工单"
        page.select_option("#id_source", "walk_in")
        page.select_option("#id_kind", "complaint")
        page.fill("#id_title", "培训机构停业不退费")
        page.fill("#id_content", "某培训机构突然停业，预付的课时费无法退还，要求退款。")
        page.fill("#id_complainant_name", "王五")
        page.fill("#id_complainant_phone", "13700001234")
        page.fill("#id_respondent_name", "某某培训有限公司")
        screenshot(page, "tickets-intake")
        page.click("text=创建工单")
        page.wait_for_selector("#form-dispatch")
        assert "137****1234" in page.locator("#personal").inner_text()
        page.select_option("#form-dispatch select[name=unit]", str(org.office_a.pk))
        page.check("#form-dispatch input[name=tags][value=urgent]")
        page.click("#form-dispatch button[type=submit]")
        page.wait_for_selector(".message-success")
        assert page.locator(".head-badges .badge").first.inner_text() == "已派单"
        screenshot(page, "tickets-detail-dispatched")
        sign_out(page, base)

        # The handler finds it in "my work", signs for it, records first contact and replies.
        sign_in(page, base, org.handler)
        page.click("nav.mainnav >> text=我的工单")
        page.click("table.data a >> text=培训机构停业不退费")
        page.click("#form-accept button[type=submit]")
        page.wait_for_selector("#form-first_contact")
        page.fill("#form-first_contact input[name=contact-note]", "已电话联系，约定三日内上门核查。")
        page.click("#form-first_contact button[type=submit]")
        page.wait_for_selector("#form-reply")
        page.check("#form-reply input[name=complaint_finding][value=substantiated]")
        page.select_option("#form-reply select[name=complaint_outcome]", "mediated")
        page.select_option("#form-reply select[name=complaint_is_violation_suspected]", "no")
        page.fill("#form-reply textarea[name=reply_text]", "经调解，商家同意退还剩余课时费。")
        screenshot(page, "tickets-detail-reply-form")
        page.click("#form-reply button[type=submit]")
        page.wait_for_selector(".message-success")
        assert page.locator(".head-badges .badge").first.inner_text() == "所队审核"
        timeline = page.locator("ol.timeline").inner_text()
        assert "已提交答复" in timeline
        assert org.handler.display_name in timeline
        path = screenshot(page, "tickets-detail-reply-submitted")

    ticket = Ticket.objects.get()
    assert ticket.status == Status.UNIT_REVIEW
    assert ticket.handler == org.handler
    assert path.stat().st_size > 10000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_main_pages_render_for_each_role(live_server, org):
    import datetime as dt

    from django.utils import timezone

    from tickets import services
    from tickets.choices import Kind
    from tickets.tests.factories import make_ticket

    now = timezone.now()
    make_ticket(org, received_at=now - dt.timedelta(hours=2), tags=["urgent"])
    overdue = make_ticket(org, received_at=now - dt.timedelta(days=20), reply_due_at=now - dt.timedelta(days=1))
    composite = make_ticket(org, kind=Kind.COMPOSITE, received_at=now - dt.timedelta(days=1), tags=["mass"])
    for ticket in (overdue, composite):
        ticket = services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
        ticket = services.ticket_accept(ticket, actor=org.handler)
    composite = services.ticket_record_first_contact(composite, actor=org.handler)
    services.ticket_request_extension(
        composite, actor=org.handler, clock="verification", working_days=5, reason="样品送检"
    )
    base = live_server.url
    with chromium_page() as page:
        sign_in(page, base, org.dispatcher)
        page.goto(base + "/tickets/inbox/")
        assert page.locator("h1").inner_text() == "待派单"
        screenshot(page, "tickets-inbox")
        page.goto(base + "/tickets/?overdue=true")
        assert page.locator("table.data tbody tr").count() == 1
        screenshot(page, "tickets-search")
        sign_out(page, base)

        sign_in(page, base, org.handler)
        page.goto(base + "/tickets/mine/")
        assert page.locator("tr.due-overdue").count() == 1
        screenshot(page, "tickets-my-work")
        page.goto(base + f"/tickets/{composite.pk}/")
        assert page.locator("fieldset.track-block").count() == 2
        screenshot(page, "tickets-detail-composite")
        sign_out(page, base)

        sign_in(page, base, org.reviewer)
        page.goto(base + "/tickets/requests/")
        assert page.locator("form.decide").count() == 1
        screenshot(page, "tickets-requests")
