"""The issue's "done when" in a browser: intake → the suggested unit accepted with one click → the unit objects →
the section upholds and re-dispatches → the new unit sees it in its queue."""

import pytest

from core import browser
from core.browser import chromium_page, screenshot
from dispatch.tests.conftest import add_row
from org.tests.factories import PASSWORD
from tickets.choices import Status
from tickets.models import DispatchObjection, Ticket


def sign_in(page, base_url, user):
    browser.sign_in(page, base_url, user.username, PASSWORD)


def sign_out(page, base_url):
    page.click('.topbar form[action="/logout/"] button')
    page.wait_for_url(base_url + "/login/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_intake_suggestion_taken_objection_upheld_and_redispatched(live_server, org, categories):
    add_row(org, categories["food"], org.office_a)
    base = live_server.url
    with chromium_page() as page:
        # The dispatcher registers a complaint about food; the catalogue suggests 岳阳所: one click dispatches it.
        sign_in(page, base, org.dispatcher)
        page.goto(base + "/tickets/new/")
        page.select_option("#id_source", "walk_in")
        page.select_option("#id_kind", "complaint")
        page.select_option("#id_category", str(categories["food"].pk))
        page.fill("#id_title", "饭店食品变质")
        page.fill("#id_content", "在方松街道某饭店就餐，菜品变质，要求处理。")
        page.fill("#id_complainant_name", "李四")
        page.fill("#id_complainant_phone", "13700005678")
        page.fill("#id_respondent_name", "某某餐饮有限公司")
        page.click("text=创建工单")
        page.wait_for_selector("[data-testid=suggestion]")
        assert "岳阳所" in page.locator("[data-testid=suggestion]").inner_text()
        page.click("#form-dispatch-suggested button[type=submit]")
        page.wait_for_selector(".message-success")
        assert page.locator(".head-badges .badge").first.inner_text() == "已派单"
        sign_out(page, base)
        ticket = Ticket.objects.get()
        assert ticket.unit_id == org.office_a.pk

        # 岳阳所 objects: the restaurant is in 方松街道, not its area.
        sign_in(page, base, org.handler)
        page.goto(base + f"/tickets/{ticket.pk}/")
        page.wait_for_selector("#form-objection")
        page.select_option("#form-objection select[name=objection-reason_code]", "wrong_area")
        page.fill("#form-objection textarea[name=objection-text]", "饭店位于方松街道，不属本辖区。")
        screenshot(page, "dispatch-objection-form")
        page.click("#form-objection button[type=submit]")
        page.wait_for_selector(".message-success")
        assert page.locator("[data-testid=objection-pending]").count() == 1
        assert page.locator("#form-objection").count() == 0
        sign_out(page, base)

        # The section finds it under "派单异议", upholds it and re-dispatches to 方松所.
        sign_in(page, base, org.reviewer)
        page.click("nav.mainnav >> text=派单异议")
        page.wait_for_selector("[data-testid=objection-row]")
        row = page.locator("[data-testid=objection-row]")
        assert "不属本辖区" in row.inner_text()
        row.locator("select[name=unit]").select_option(str(org.office_b.pk))
        screenshot(page, "dispatch-objection-list")
        row.locator("button[value=uphold]").click()
        page.wait_for_selector(".message-success")
        assert page.locator("[data-testid=objection-row]").count() == 0
        sign_out(page, base)

        # 方松所 sees it in its queue and may sign for it; the timeline keeps the first dispatch.
        sign_in(page, base, org.handler_b)
        page.goto(base + "/tickets/unit/")
        page.click("table.data a >> text=饭店食品变质")
        page.wait_for_selector("#form-accept")
        timeline = page.locator("ol.timeline").inner_text()
        assert "派单异议成立：已改派" in timeline and "改派" in timeline
        screenshot(page, "dispatch-objection-redispatched")

    ticket.refresh_from_db()
    assert (ticket.status, ticket.unit_id) == (Status.DISPATCHED, org.office_b.pk)
    assert DispatchObjection.objects.get().status == "upheld"
