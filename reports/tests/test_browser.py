import pytest
from django.test import override_settings
from django.utils import timezone

from core import browser
from core.browser import chromium_page, screenshot
from org.tests.factories import PASSWORD
from reports.tests.conftest import ticket
from tickets.choices import Status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@override_settings(HOTLINE_SCREEN_REFRESH_SECONDS=1, HOTLINE_SCREEN_SECONDS=0)
def test_leaders_screen_refreshes_itself_without_reloading(live_server, org):
    ticket(org.bureau, org.office_a, timezone.now(), status=Status.RECEIVED)
    with chromium_page() as page:
        page.set_viewport_size({"width": 1920, "height": 1080})
        browser.sign_in(page, live_server.url, org.leader.username, PASSWORD)
        page.goto(live_server.url + "/reports/screen/")
        received = page.locator(".screen-tile .screen-tile-value").first
        assert received.inner_text() == "1"
        assert page.locator("#screen-units tbody tr").first.inner_text().split() == ["方松所", "0", "0"]
        page.evaluate("window.notReloaded = true")

        ticket(org.bureau, org.office_b, timezone.now(), status=Status.RECEIVED)
        from playwright.sync_api import expect

        expect(received).to_have_text("2", timeout=10000)  # the page's CSP allows no eval: a locator waits

        assert page.evaluate("window.notReloaded") is True  # drawn again from data.json, the page kept
        assert page.locator("#screen-units tbody tr").first.inner_text().split() == ["方松所", "1", "0"]
        assert page.locator("#screen-stale").is_hidden()
        screenshot(page, "reports-screen")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_annual_report_draws_its_charts_offline(live_server, org):
    ticket(org.bureau, org.office_a, timezone.now(), status=Status.RECEIVED)
    year = timezone.localdate().year
    with chromium_page() as page:
        browser.sign_in(page, live_server.url, org.chief.username, PASSWORD)
        page.goto(f"{live_server.url}/reports/annual/?year={year}")

        assert page.locator("h1").inner_text() == f"年度报告 {year}"
        charts = page.locator("svg.chart")
        assert charts.count() == 2
        assert charts.first.bounding_box()["width"] > 300
        screenshot(page, "reports-annual")
