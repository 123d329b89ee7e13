"""GET/POST /api/v1/staff/tickets/{id}/documents/ and the download."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from documents.models import Document
from documents.tests.conftest import docx_text
from reviews.tests.factories import handled_ticket
from tickets.services import ticket_record_acceptance

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def api(org):
    client = APIClient()
    client.force_login(org.handler)
    return client


def test_list_gives_kind_number_version_created_at_and_download(api, org, django_assert_num_queries):
    ticket = handled_ticket(org)
    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False)
    document = Document.objects.get(ticket=ticket)
    url = reverse("staff_api:ticket-documents", args=[ticket.pk])
    api.get(url)

    with django_assert_num_queries(4):  # session, user, ticket, documents
        response = api.get(url)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": document.pk,
            "kind": "not_accepted_notice",
            "title": "不予受理告知书",
            "number": "市监投不受〔2026〕1号",
            "version": 1,
            "copy": "standard",
            "created_at": "2026-10-09T10:00:00+08:00",
            "download": f"/api/v1/staff/tickets/{ticket.pk}/documents/{document.pk}/",
        }
    ]
    download = api.get(response.json()[0]["download"])
    assert download.status_code == 200 and "不予受理告知书" in docx_text(b"".join(download.streaming_content))


def test_post_makes_one_on_demand(api, org):
    ticket = handled_ticket(org)
    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False)

    response = api.post(
        reverse("staff_api:ticket-documents", args=[ticket.pk]), {"kind": "not_accepted_notice"}, format="json"
    )

    assert response.status_code == 201
    assert (response.json()["number"], response.json()["version"]) == ("市监投不受〔2026〕1号", 2)


def test_post_a_kind_that_does_not_apply_is_400_with_a_clear_message(api, org):
    ticket = handled_ticket(org)

    response = api.post(
        reverse("staff_api:ticket-documents", args=[ticket.pk]), {"kind": "archive_sheet"}, format="json"
    )

    assert response.status_code == 400
    from django.utils import translation

    with translation.override(org.handler.language):
        said = translation.gettext("An archive sheet needs a completed work order.")
    assert response.json()["error"]["fields"] == {"kind": said}


def test_post_an_unknown_kind_is_400(api, org):
    ticket = handled_ticket(org)

    response = api.post(reverse("staff_api:ticket-documents", args=[ticket.pk]), {"kind": "poem"}, format="json")

    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]
