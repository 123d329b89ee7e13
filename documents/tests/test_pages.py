"""The ticket page's documents panel, the printable page, the .docx download, issuing on demand; isolation."""

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from documents.choices import DocumentKind
from documents.models import Document
from documents.tests.conftest import docx_text
from reviews.tests.factories import handled_ticket
from tickets.services import ticket_record_acceptance

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def notice(org):
    ticket = handled_ticket(org)
    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False, note="不属于本局职责")
    return Document.objects.get(ticket=ticket)


def test_the_ticket_page_lists_the_documents_with_their_links(client, org, notice):
    client.force_login(org.handler)

    page = client.get(reverse("tickets:detail", args=[notice.ticket_id])).content.decode()

    assert 'id="documents"' in page
    assert "市监投不受〔2026〕1号" in page
    assert reverse("documents:page", args=[notice.ticket_id, notice.pk]) in page
    assert reverse("documents:download", args=[notice.ticket_id, notice.pk]) in page


def test_the_documents_panel_costs_two_queries_however_many_documents(client, org, notice, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.services import document_issue

    client.force_login(org.handler)
    url = reverse("tickets:detail", args=[notice.ticket_id])
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    document_issue(notice.ticket, DocumentKind.NOT_ACCEPTED_NOTICE, actor=org.handler)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url)  # one more document: no more queries
    panel = [q["sql"] for q in before.captured_queries if "documents_document" in q["sql"]]
    approved = [
        q["sql"] for q in before.captured_queries if "tickets_ticketrequest" in q["sql"] and "approved" in q["sql"]
    ]
    assert (len(panel), len(approved)) == (1, 1)  # the list, and whether an extension was approved


def test_the_docx_downloads_as_an_attachment_and_is_audited(client, org, notice):
    client.force_login(org.handler)

    response = client.get(reverse("documents:download", args=[notice.ticket_id, notice.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "不予受理告知书" in docx_text(b"".join(response.streaming_content))
    record = AuditRecord.objects.get(action="document.downloaded")
    assert (record.user_id, record.object_id, record.data["format"]) == (org.handler.pk, str(notice.pk), "docx")


def test_the_printable_page_shows_the_document(client, org, notice):
    client.force_login(org.dispatcher)

    page = client.get(reverse("documents:page", args=[notice.ticket_id, notice.pk])).content.decode()

    assert "不予受理告知书" in page and "市监投不受〔2026〕1号" in page and "第十五条" in page
    assert AuditRecord.objects.filter(action="document.downloaded", data__format="html").count() == 1


def test_another_units_and_another_bureaus_documents_are_404(client, org, notice):
    from org.tests.factories import make_org

    other = make_org("qp")
    urls = [
        reverse("documents:page", args=[notice.ticket_id, notice.pk]),
        reverse("documents:download", args=[notice.ticket_id, notice.pk]),
        reverse("staff_api:ticket-documents", args=[notice.ticket_id]),
        reverse("staff_api:ticket-document", args=[notice.ticket_id, notice.pk]),
    ]
    for user in (org.handler_b, other.dispatcher, other.reviewer):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(reverse("documents:make", args=[notice.ticket_id]), {"kind": "archive_sheet"}).status_code
            == 404
        )
    assert not AuditRecord.objects.filter(action="document.downloaded").exists()


def test_a_document_of_another_ticket_is_404_under_this_one(client, org, notice):
    ticket = handled_ticket(org)
    client.force_login(org.handler)

    assert client.get(reverse("documents:download", args=[ticket.pk, notice.pk])).status_code == 404


def test_issuing_on_demand_from_the_ticket_page(client, org, notice):
    client.force_login(org.handler)

    response = client.post(reverse("documents:make", args=[notice.ticket_id]), {"kind": "not_accepted_notice"})

    assert response.status_code == 302
    assert list(
        Document.objects.filter(ticket=notice.ticket).values_list("version", flat=True).order_by("version")
    ) == [1, 2]


def test_issuing_a_kind_that_does_not_apply_says_why(client, org, notice):
    client.force_login(org.handler)

    response = client.post(reverse("documents:make", args=[notice.ticket_id]), {"kind": "archive_sheet"}, follow=True)

    from django.utils import translation

    with translation.override(org.handler.language or "zh-hans"):
        said = translation.gettext("An archive sheet needs a completed work order.")
    assert said in response.content.decode()
    assert Document.objects.filter(ticket=notice.ticket).count() == 1


def test_a_bureau_leader_sees_documents_but_may_not_issue(client, org, notice):
    client.force_login(org.leader)

    assert client.get(reverse("documents:download", args=[notice.ticket_id, notice.pk])).status_code == 200
    assert (
        client.post(reverse("documents:make", args=[notice.ticket_id]), {"kind": "not_accepted_notice"}).status_code
        == 403
    )
