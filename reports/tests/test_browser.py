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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_report_export_downloads_from_its_page(live_server, org, settings, tmp_path):
    """The briefing (CSV, Excel, Word, and one kept after "make now"), any period, the annual report, the assessment
    and the hotspots: each link gives a file of its kind that opens."""
    import io
    from pathlib import Path

    from docx import Document
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    ticket(org.bureau, org.office_a, timezone.now(), status=Status.RECEIVED)
    today = timezone.localdate()
    year = today.year
    base = live_server.url

    def opened(name: str, content: bytes) -> None:
        if name.endswith(".xlsx"):
            assert load_workbook(io.BytesIO(content)).worksheets
        elif name.endswith(".docx"):
            assert Document(io.BytesIO(content)).paragraphs[0].text
        else:
            assert content.startswith("\ufeff".encode())  # the CSV's byte-order mark (Excel's Chinese)

    def download(page, selector: str) -> str:
        with page.expect_download() as caught:
            page.click(selector)
        name = caught.value.suggested_filename
        opened(name, Path(caught.value.path()).read_bytes())
        return name

    with chromium_page() as page:
        browser.sign_in(page, base, org.chief.username, PASSWORD)
        page.goto(f"{base}/reports/?month={today:%Y-%m}")
        month = f"{today:%Y-%m}"
        got = [download(page, f"[data-testid={key}-link]") for key in ("csv", "xlsx", "docx")]
        page.click("[data-testid=briefing-make]")
        page.wait_for_selector("[data-testid=kept-briefing]")
        got.append(download(page, "[data-testid=kept-briefing] a >> nth=0"))
        page.goto(f"{base}/reports/period/?period={year}")
        got += [download(page, f"[data-testid={key}-link]") for key in ("xlsx", "docx")]
        page.goto(f"{base}/reports/annual/?year={year}")
        got += [download(page, f"[data-testid={key}-link]") for key in ("xlsx", "docx")]
        page.goto(f"{base}/reports/assessment/?year={year}")
        got += [download(page, f"[data-testid={key}-link]") for key in ("xlsx", "docx")]
        page.goto(f"{base}/reports/hotspots/")
        got.append(download(page, "[data-testid=xlsx-link]"))
        screenshot(page, "reports-hotspots")

    assert got[:3] == [f"briefing-{month}.csv", f"indicators-{month}.xlsx", f"indicators-{month}.docx"]
    assert got[3] in (f"briefing-{month}.xlsx", f"briefing-{month}.docx")
    assert got[4:10] == [
        f"indicators-{year}.xlsx",
        f"indicators-{year}.docx",
        f"annual-{year}.xlsx",
        f"annual-{year}.docx",
        f"assessment-{year}.xlsx",
        f"assessment-{year}.docx",
    ]
    assert got[10].endswith(".xlsx")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_any_period_shows_the_background_counts_progress_then_the_figures(live_server, org, settings):
    from playwright.sync_api import expect

    from reports.models import PeriodCount
    from reports.services import period_count_run

    settings.HOTLINE_REPORTS_LIVE_TICKETS = 0  # one work order is enough to count the year in the background
    ticket(org.bureau, org.office_a, timezone.now(), status=Status.RECEIVED)
    year = str(timezone.localdate().year)
    PeriodCount.objects.create(bureau=org.bureau, period=year, requested_at=timezone.now())  # asked for, queued
    with chromium_page() as page:
        browser.sign_in(page, live_server.url, org.chief.username, PASSWORD)
        page.goto(f"{live_server.url}/reports/period/?period={year}")
        expect(page.locator("[data-testid=progress] progress")).to_be_visible()
        assert page.locator("[data-testid=period-figures]").count() == 0

        period_count_run(org.bureau.pk, year)  # the worker's part; the page polls progress.json and reloads

        expect(page.locator("[data-testid=period-figures]")).to_be_visible(timeout=10000)
        assert page.locator("[data-testid=figure-received] td").first.inner_text() == "1"
        screenshot(page, "reports-period")
