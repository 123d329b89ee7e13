"""Attachments go out as downloads the browser cannot render as a page of ours (core.downloads), from the
screen and from the staff API alike."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tickets.models import Attachment
from tickets.tests.factories import make_ticket


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def html_attachment(org, media):
    # a row as an older upload rule could have left it: markup with an HTML type and a hostile name
    ticket = make_ticket(org)
    attachment = Attachment(
        ticket=ticket,
        original_name='../<img src=x onerror=alert(1)>".html',
        content_type="text/html",
        size=30,
        uploaded_at=timezone.now(),
    )
    attachment.file.save("page.html", ContentFile(b"<script>alert(document.cookie)</script>"), save=False)
    attachment.save()
    return attachment


def download_headers(response) -> dict:
    names = (
        "Content-Type",
        "Content-Disposition",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Cache-Control",
    )
    return {name: response[name] for name in names}


EXPECTED = {
    "Content-Type": "application/octet-stream",
    "Content-Disposition": 'attachment; filename="_img src=x onerror=alert(1)__.html"',
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}


def test_attachment_download_page_never_serves_html_inline(client, org, html_attachment):
    client.force_login(org.dispatcher)

    response = client.get(reverse("tickets:attachment", args=[html_attachment.ticket_id, html_attachment.pk]))

    assert (response.status_code, download_headers(response)) == (200, EXPECTED)


def test_attachment_download_staff_api_never_serves_html_inline(client, org, html_attachment):
    client.force_login(org.dispatcher)

    response = client.get(f"/api/v1/staff/tickets/{html_attachment.ticket_id}/attachments/{html_attachment.pk}/")

    assert (response.status_code, download_headers(response)) == (200, EXPECTED)


def test_attachment_download_refused_to_another_bureau(client, org, html_attachment):
    from org.tests.factories import make_org

    other = make_org("qp")
    client.force_login(other.dispatcher)

    response = client.get(reverse("tickets:attachment", args=[html_attachment.ticket_id, html_attachment.pk]))

    assert response.status_code == 404
