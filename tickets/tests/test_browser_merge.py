"""Merging duplicates (并单) in the browser, at 1440 px: from the inbox's duplicate proposal (issue 15) and from the
intake's duplicate warning (issue 18 item 3: the warning leads to the merge)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.browser import chromium_page, screenshot, sign_in
from org.tests.factories import PASSWORD
from tickets.choices import Source
from tickets.models import Ticket
from tickets.tests.factories import make_ticket

WIDE = {"width": 1440, "height": 900}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_merge_from_the_inboxs_duplicate_proposal(live_server, org):
    now = timezone.now()
    master = make_ticket(org, received_at=now - dt.timedelta(hours=3), external_id="SH12345-MASTER-1")
    duplicate = make_ticket(
        org, source=Source.PLATFORM_12315, received_at=now - dt.timedelta(hours=1), external_id="12315-DUP-1"
    )
    base = live_server.url
    with chromium_page(**WIDE) as page:
        sign_in(page, base, org.dispatcher.username, PASSWORD)
        page.goto(base + "/tickets/inbox/")
        row = page.locator("table.data tr", has_text="12315-DUP-1")
        proposal = row.locator('[data-testid="possible-duplicates"]')
        assert "1" in proposal.inner_text()
        screenshot(page, "tickets-inbox-duplicate-proposal")
        proposal.click()
        page.wait_for_selector("#duplicates")
        assert "SH12345-MASTER-1" in page.locator("#duplicates").inner_text()
        page.click(f"#form-merge-{master.pk} button[type=submit]")
        page.wait_for_selector(".message-success")
        banner = page.locator("#merged").inner_text()
        assert "已并入工单" in banner and "SH12345-MASTER-1" in banner
        screenshot(page, "tickets-detail-merged")
        # the master's page lists it
        page.click("#merged a")
        assert "12315-DUP-1" in page.locator("#duplicates").inner_text()

    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == master.pk


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_intakes_duplicate_warning_leads_to_the_merge(live_server, org):
    existing = make_ticket(org, received_at=timezone.now() - dt.timedelta(days=1), external_id="SH12345-EXIST-1")
    base = live_server.url
    with chromium_page(**WIDE) as page:
        sign_in(page, base, org.dispatcher.username, PASSWORD)
        page.goto(base + "/tickets/new/")
        page.select_option("#id_source", "phone")
        page.select_option("#id_kind", "complaint")
        page.fill("#id_title", "教育机构关门")
        page.fill("#id_content", "来电反映某教育机构突然关门，孩子的预付学费退不了。")
        page.fill("#id_complainant_name", "张三")
        page.fill("#id_complainant_phone", "138 1234 5678")
        page.fill("#id_respondent_name", "上海某某教育科技有限公司")
        page.click("text=创建工单")
        page.wait_for_selector("#duplicates")
        warning = page.locator("#duplicates").inner_text()
        assert "SH12345-EXIST-1" in warning and "并入此工单登记" in warning
        screenshot(page, "tickets-intake-duplicate-warning")
        # Enter in a field is no merge: the warning again, nothing taken in
        with page.expect_navigation():
            page.press("#id_title", "Enter")
        page.wait_for_selector("#duplicates")
        assert Ticket.objects.count() == 1
        page.click(f"#merge-into-{existing.pk}")
        page.wait_for_selector(".message-success")
        assert "已登记并并单" in page.locator(".message-success").inner_text()
        banner = page.locator("#merged").inner_text()
        assert "已并入工单" in banner and "SH12345-EXIST-1" in banner

    new = Ticket.objects.exclude(pk=existing.pk).get()
    assert (new.source, new.merged_into_id) == (Source.PHONE, existing.pk)
