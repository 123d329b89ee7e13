"""Documents made when their decision is given, through the tickets services, with their numbers and facts."""

import pytest

from documents.choices import Copy, DocumentKind
from documents.models import Document, NumberFormat
from documents.services import document_issue
from documents.tests.conftest import document_text
from reviews.tests.factories import handled_ticket
from tickets.choices import Clock
from tickets.services import request_decide, ticket_record_acceptance, ticket_request_extension

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_not_accepted_decision_makes_the_notice_with_its_number_facts_and_legal_basis(org):
    ticket = handled_ticket(org)

    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False, note="已由法院受理同一争议。")

    document = Document.objects.get(ticket=ticket)
    assert (document.kind, document.number, document.version, document.copy) == (
        DocumentKind.NOT_ACCEPTED_NOTICE,
        "市监投不受〔2026〕1号",
        1,
        Copy.STANDARD,
    )
    text = document_text(document)
    for fact in (
        "不予受理告知书",
        "市监投不受〔2026〕1号",
        ticket.external_id,
        "某某教育科技有限公司",
        "张三",
        "已由法院受理同一争议。",
        "《市场监督管理投诉举报处理暂行办法》第十四条、第十五条",
        "2026年10月9日",
    ):
        assert fact in text
    assert "13812345678" not in text
    event = ticket.events.get(code="document_issued")
    assert event.data == {
        "document": "not_accepted_notice",
        "document_title": "不予受理告知书",
        "number": "市监投不受〔2026〕1号",
        "version": 1,
    }


def test_an_acceptance_decision_makes_the_acceptance_notice(org):
    ticket = handled_ticket(org)

    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=True)

    document = Document.objects.get(ticket=ticket)
    assert document.kind == DocumentKind.ACCEPTANCE_NOTICE
    assert "第十四条" in document_text(document)


def _approve_extension(org, ticket, clock=Clock.REPLY):
    request = ticket_request_extension(ticket, actor=org.handler, clock=clock, working_days=5, reason="需检验检测")
    return request_decide(request, actor=org.reviewer, is_approved=True, note="同意延期")


def test_each_approved_extension_makes_its_form_numbered_in_sequence_without_gaps(org):
    first, second = handled_ticket(org), handled_ticket(org)
    rejected = handled_ticket(org)

    _approve_extension(org, first)
    request = ticket_request_extension(rejected, actor=org.handler, clock=Clock.REPLY, working_days=5, reason="x")
    request_decide(request, actor=org.reviewer, is_approved=False)
    _approve_extension(org, second)

    forms = list(Document.objects.filter(kind=DocumentKind.EXTENSION_APPROVAL).order_by("sequence"))
    assert [(d.ticket_id, d.sequence, d.number) for d in forms] == [
        (first.pk, 1, "市监投延〔2026〕1号"),
        (second.pk, 2, "市监投延〔2026〕2号"),
    ]
    text = document_text(forms[0])
    for fact in ("延期审批单", first.external_id, "需检验检测", "同意延期", "5", org.reviewer.display_name):
        assert fact in text
    assert not Document.objects.filter(ticket=rejected).exists()


def test_the_bureaus_number_format_is_used(org):
    NumberFormat.objects.create(
        bureau=org.bureau, kind=DocumentKind.NOT_ACCEPTED_NOTICE, pattern="松市监投告〔{year}〕{number}号"
    )
    ticket = handled_ticket(org)

    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False)

    assert Document.objects.get(ticket=ticket).number == "松市监投告〔2026〕1号"


def test_issuing_again_is_a_new_version_under_the_same_number_and_the_old_one_stays(org):
    ticket = handled_ticket(org)
    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False)
    first = Document.objects.get(ticket=ticket)

    (second,) = document_issue(ticket, DocumentKind.NOT_ACCEPTED_NOTICE, actor=org.handler)

    assert (second.number, second.version, second.sequence) == (first.number, 2, first.sequence)
    assert first.file.name != second.file.name
    assert "不予受理告知书" in document_text(first)
    other = handled_ticket(org)
    ticket_record_acceptance(other, actor=org.handler, is_accepted=False)
    assert Document.objects.get(ticket=other).sequence == 2  # the new version took no number


def test_a_kind_that_does_not_apply_is_refused_with_a_clear_message(org):
    from django.core.exceptions import ValidationError

    ticket = handled_ticket(org)

    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        document_issue(ticket, DocumentKind.CLOSING_OPINION, actor=org.handler)

    assert refused.value.message_dict == {"kind": ["A closing opinion needs a completed work order."]}
    assert not Document.objects.exists()


def test_a_confidential_work_order_puts_no_identity_on_its_documents(org):
    ticket = handled_ticket(org, is_confidential=True)

    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=False, note="张三的投诉不属于本局职责")

    text = document_text(Document.objects.get(ticket=ticket))
    assert "张三" not in text
    assert "1381" not in text and "310101" not in text
    assert ticket.external_id in text
