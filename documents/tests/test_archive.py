"""Archiving a completed work order makes its archive sheet; a month's archive downloads as one .zip with an index."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditRecord
from documents.choices import Copy, DocumentKind
from documents.models import Document
from documents.tests.conftest import document_text
from reviews.services import callback_record, review_return
from reviews.tests.factories import completed_ticket, handled_ticket, submit
from tickets.choices import Finding, Outcome, Status, Track
from tickets.services import TrackResult, ticket_archive

pytestmark = pytest.mark.usefixtures("frozen")


def test_completion_makes_the_closing_opinion_and_archiving_the_archive_sheet(org):
    ticket = handled_ticket(org)
    submit(ticket, org.handler)
    review_return(ticket, actor=org.deputy, reason_codes=["evidence_missing"], comment="缺少现场照片")
    ticket.refresh_from_db()
    from reviews.services import review_approve

    submit(ticket, org.handler)
    review_approve(ticket, actor=org.deputy)
    review_approve(ticket, actor=org.reviewer)
    callback_record(ticket, satisfaction="satisfied", resolved="resolved", comment="满意")

    ticket_archive(ticket, actor=org.reviewer, note="材料齐全")

    ticket.refresh_from_db()
    assert ticket.status == Status.ARCHIVED
    kinds = list(Document.objects.filter(ticket=ticket).values_list("kind", "copy").order_by("kind", "copy"))
    assert kinds == [
        (DocumentKind.ARCHIVE_SHEET, Copy.STANDARD),
        (DocumentKind.CLOSING_OPINION, Copy.BUSINESS),
        (DocumentKind.CLOSING_OPINION, Copy.STANDARD),
    ]
    sheet = document_text(Document.objects.get(ticket=ticket, kind=DocumentKind.ARCHIVE_SHEET))
    for fact in (
        "工单处理单",
        ticket.external_id,
        "市监投档〔2026〕1号",
        "缺少现场照片",  # the return's comment
        "证据缺失",  # its reason
        "经核查，已责令商家退款。",  # the reply
        "满意",  # the callback
        "办结意见书",  # the documents issued
        "市监投结〔2026〕1号",
        org.reviewer.display_name,
        "2026年10月9日",
    ):
        assert fact in sheet, fact
    assert "13812345678" not in sheet


def test_the_business_copy_never_shows_the_complainant(org):
    ticket = completed_ticket(org)

    business = Document.objects.get(ticket=ticket, kind=DocumentKind.CLOSING_OPINION, copy=Copy.BUSINESS)
    standard = Document.objects.get(ticket=ticket, kind=DocumentKind.CLOSING_OPINION, copy=Copy.STANDARD)

    assert business.number == standard.number
    text = document_text(business)
    assert "张三" not in text and "138" not in text and "松江区某路1号" not in text
    assert ticket.external_id in text and "第十六条" in text


def test_a_terminated_mediation_makes_its_notice_with_a_business_copy(org):
    from reviews.services import review_approve

    ticket = handled_ticket(org)
    results = {
        Track.COMPLAINT: TrackResult(
            finding=Finding.PARTLY, outcome=Outcome.MEDIATION_TERMINATED, grounds="被投诉人明确拒绝调解"
        )
    }
    submit(ticket, org.handler, results=results)
    review_approve(ticket, actor=org.deputy)
    review_approve(ticket, actor=org.reviewer)

    notices = Document.objects.filter(ticket=ticket, kind=DocumentKind.MEDIATION_TERMINATION)
    assert sorted(notices.values_list("copy", flat=True)) == [Copy.BUSINESS, Copy.STANDARD]
    text = document_text(notices.get(copy=Copy.BUSINESS))
    assert "被投诉人明确拒绝调解" in text and "第二十一条" in text and "张三" not in text


def test_a_months_archive_downloads_as_a_zip_with_an_index(client, org):
    ticket = completed_ticket(org)
    ticket_archive(ticket, actor=org.reviewer)
    client.force_login(org.reviewer)

    page = client.get(reverse("documents:archive"), {"month": "2026-10"})
    response = client.get(reverse("documents:archive_zip", args=[2026, 10]))

    assert ticket.external_id in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "索引-2026-10.xlsx" in names
    assert sum(name.startswith(f"{ticket.external_id}/") for name in names) == 3
    sheet = load_workbook(io.BytesIO(archive.read("索引-2026-10.xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "工单号"
    assert {row[7] for row in rows[1:]} == {"市监投结〔2026〕1号", "市监投档〔2026〕1号"}
    record = AuditRecord.objects.get(action="data.exported")
    assert record.data == {"export": "document_archive", "month": "2026-10", "rows": 1}


def test_the_months_archive_is_the_sections_and_holds_only_its_bureau(client, org):
    from org.tests.factories import make_org

    ticket_archive(completed_ticket(org), actor=org.reviewer)
    other = make_org("qp")
    client.force_login(other.reviewer)

    response = client.get(reverse("documents:archive_zip", args=[2026, 10]))

    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert names == ["索引-2026-10.xlsx"]
    client.force_login(org.handler)
    assert client.get(reverse("documents:archive_zip", args=[2026, 10])).status_code == 403
    assert client.get(reverse("documents:archive"), {"month": "2026-10"}).status_code == 403


def test_a_bad_month_is_a_clear_400(client, org):
    client.force_login(org.reviewer)

    assert client.get(reverse("documents:archive"), {"month": "2026-13"}).status_code == 400
    assert client.get(reverse("documents:archive_zip", args=[2026, 13])).status_code == 404


def test_archiving_from_the_ticket_page_and_the_api(client, org):
    from rest_framework.test import APIClient

    page_ticket, api_ticket = completed_ticket(org), completed_ticket(org)
    client.force_login(org.reviewer)
    response = client.post(reverse("tickets:archive", args=[page_ticket.pk]), {"archive-version": page_ticket.version})
    api = APIClient()
    api.force_login(org.chief)
    answered = api.post(f"/api/v1/staff/tickets/{api_ticket.pk}/archive/", {}, format="json")

    assert response.status_code == 302
    assert answered.status_code == 200 and answered.json()["status"] == "archived"
    assert Document.objects.filter(kind=DocumentKind.ARCHIVE_SHEET).count() == 2
    handler = APIClient()
    handler.force_login(org.handler)
    assert handler.post(f"/api/v1/staff/tickets/{page_ticket.pk}/archive/", {}, format="json").status_code == 403
