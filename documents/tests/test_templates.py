"""Templates are data: an uploaded .docx with named fields, checked on upload, versions kept, used when issuing."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from docx import Document as DocxDocument

from audit.models import AuditRecord
from documents.choices import DocumentKind, fields_for
from documents.defaults import default_template
from documents.models import Document, DocumentTemplate
from documents.rendering import template_fields
from documents.services import template_upload
from documents.tests.conftest import document_text, docx_text
from reviews.tests.factories import handled_ticket
from tickets.services import ticket_record_acceptance

pytestmark = pytest.mark.usefixtures("frozen")


def docx_of(*lines: str) -> bytes:
    doc = DocxDocument()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_every_built_in_template_uses_only_its_kinds_fields():
    for kind in DocumentKind.values:
        assert set(template_fields(default_template(kind), kind)) <= set(fields_for(kind))


def test_an_uploaded_template_is_used_with_the_bureaus_wording_and_the_old_version_stays(org):
    first = template_upload(
        bureau=org.bureau,
        kind=DocumentKind.NOT_ACCEPTED_NOTICE,
        uploaded_file=upload(
            "a.docx", docx_of("松江区市场监督管理局", "{{ document_number }} {{ work_order_number }}")
        ),
        actor=org.admin,
    )
    second = template_upload(
        bureau=org.bureau,
        kind=DocumentKind.NOT_ACCEPTED_NOTICE,
        uploaded_file=upload(
            "b.docx", docx_of("松江区市场监督管理局（第二版）", "{{ document_number }}", "{{ legal_basis }}")
        ),
        actor=org.admin,
    )
    ticket = handled_ticket(org)

    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False)

    assert (first.version, second.version, second.fields) == (1, 2, ["document_number", "legal_basis"])
    document = Document.objects.get(ticket=ticket)
    assert document.template == second
    text = document_text(document)
    assert "松江区市场监督管理局（第二版）" in text and "市监投不受〔2026〕1号" in text and "第十五条" in text
    assert DocumentTemplate.objects.filter(kind=DocumentKind.NOT_ACCEPTED_NOTICE).count() == 2


def test_a_template_with_an_unknown_field_is_refused_on_upload_with_a_clear_message(org):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        template_upload(
            bureau=org.bureau,
            kind=DocumentKind.ACCEPTANCE_NOTICE,
            uploaded_file=upload("a.docx", docx_of("{{ complainant_name }} {{ salary }} {{ shoe_size }}")),
            actor=org.admin,
        )

    assert refused.value.message_dict == {
        "file": ["The template uses fields this document does not have: salary, shoe_size. See the list of fields."]
    }
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize(
    "data",
    [b"not a zip at all", docx_of("{{ title "), docx_of("{% for x in title %}"), docx_of("{{ title|nosuchfilter }}")],
)
def test_a_broken_template_is_refused_not_kept(org, data):
    with pytest.raises(ValidationError) as refused:
        template_upload(
            bureau=org.bureau, kind=DocumentKind.ACCEPTANCE_NOTICE, uploaded_file=upload("a.docx", data), actor=None
        )

    assert list(refused.value.message_dict) == ["file"]
    assert not DocumentTemplate.objects.exists()


def test_the_admin_uploads_lists_fields_and_previews(client, org):
    ticket = handled_ticket(org)
    client.force_login(org.admin)

    added = client.post(
        reverse("admin:documents_documenttemplate_add"),
        {
            "bureau": org.bureau.pk,
            "kind": DocumentKind.ACCEPTANCE_NOTICE,
            "note": "局版",
            "file": upload("a.docx", docx_of("{{ bureau_name }} {{ complainant_name }} {{ work_order_number }}")),
        },
    )
    refused = client.post(
        reverse("admin:documents_documenttemplate_add"),
        {
            "bureau": org.bureau.pk,
            "kind": DocumentKind.ACCEPTANCE_NOTICE,
            "file": upload("b.docx", docx_of("{{ nope }}")),
        },
    )
    template = DocumentTemplate.objects.get()
    fields_page = client.get(reverse("admin:documents_template_fields"))
    preview = client.post(
        reverse("admin:documents_template_preview", args=[template.pk]), {"work_order": ticket.external_id}
    )
    default = client.get(reverse("admin:documents_template_default", args=[DocumentKind.ARCHIVE_SHEET]))
    kept = client.get(reverse("admin:documents_template_file", args=[template.pk]))
    change_page = client.get(reverse("admin:documents_documenttemplate_change", args=[template.pk]))

    assert added.status_code == 302 and template.version == 1 and template.uploaded_by == org.admin
    assert refused.status_code == 200 and "nope" in refused.content.decode()
    assert "complainant_name" in fields_page.content.decode()
    text = docx_text(b"".join(preview.streaming_content))
    assert ticket.external_id in text and "张三" not in text  # the business copy
    assert AuditRecord.objects.filter(action="document.downloaded", data__preview=True).count() == 1
    assert "{{ work_order_number }}" in docx_text(b"".join(kept.streaming_content))
    assert change_page.status_code == 200 and "局版" in change_page.content.decode()
    assert default.status_code == 200 and "{{ s.at }}" in docx_text(b"".join(default.streaming_content))
