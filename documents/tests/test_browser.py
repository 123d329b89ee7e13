"""In the browser: the section downloads a completed work order's archive sheet, archives it, and downloads the
month's archive .zip."""

import io
import zipfile
from pathlib import Path

import pytest

from core.browser import chromium_page, screenshot, sign_in
from documents.tests.conftest import docx_text
from org.tests.factories import PASSWORD
from reviews.tests.factories import completed_ticket


@pytest.fixture
def _roles(transactional_db):
    # An earlier transactional test truncates every table, the roles made by a data migration included.
    from org.choices import RoleCode
    from org.models import Role

    for code in RoleCode.values:
        Role.objects.get_or_create(code=code, defaults={"name": code})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_section_downloads_the_archive_sheet_and_the_months_archive(live_server, _roles, org, settings, tmp_path):
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    ticket = completed_ticket(org)
    base = live_server.url
    month = timezone.localtime().strftime("%Y-%m")

    with chromium_page() as page:
        sign_in(page, base, org.reviewer.username, PASSWORD)
        page.goto(base + f"/tickets/{ticket.pk}/")
        page.select_option("#id_document_kind", "archive_sheet")
        page.click("[data-testid=document-make] button[type=submit]")
        page.wait_for_selector(".message-success")
        with page.expect_download() as sheet:
            page.locator("#documents tr", has_text="工单处理单").locator("[data-testid=document-download]").click()
        text = docx_text(Path(sheet.value.path()).read_bytes())
        assert "工单处理单" in text and ticket.external_id in text

        page.click("#steps form[action$='/archive/'] button[type=submit]")
        page.wait_for_selector(".message-success")
        assert page.locator(".head-badges .badge").first.inner_text() == "已归档"
        screenshot(page, "documents-archived-ticket")

        page.goto(base + f"/documents/archive/?month={month}")
        assert ticket.external_id in page.locator("table.data").inner_text()
        with page.expect_download() as archive:
            page.click("[data-testid=archive-zip]")
        names = zipfile.ZipFile(io.BytesIO(Path(archive.value.path()).read_bytes())).namelist()
        assert f"索引-{month}.xlsx" in names
        assert sum(name.startswith(f"{ticket.external_id}/") for name in names) >= 3  # closing opinion x2, sheets
        screenshot(page, "documents-month-archive")
