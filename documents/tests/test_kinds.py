"""Every kind, made through the services that give its decision: the .docx (python-docx) names the work order's
facts, its number and its legal basis."""

import pytest

from documents.choices import Copy, DocumentKind
from documents.models import Document
from documents.tests.conftest import document_text
from reviews.services import review_approve
from reviews.tests.factories import handled_ticket, submit
from tickets.choices import Clock, Finding, Kind, Outcome, Track
from tickets.services import (
    TrackResult,
    request_decide,
    ticket_archive,
    ticket_record_acceptance,
    ticket_request_extension,
)

pytestmark = pytest.mark.usefixtures("frozen")


def _complete(org, ticket, results=None):
    submit(ticket, org.handler, results=results)
    review_approve(ticket, actor=org.deputy)
    return review_approve(ticket, actor=org.reviewer)


def _acceptance(org, accepted):
    ticket = handled_ticket(org)
    ticket_record_acceptance(ticket, actor=org.handler, is_accepted=accepted, note="经审查")
    return ticket


def _extension(org):
    ticket = handled_ticket(org, kind=Kind.REPORT)
    request = ticket_request_extension(
        ticket, actor=org.handler, clock=Clock.VERIFICATION, working_days=15, reason="案情复杂"
    )
    request_decide(request, actor=org.reviewer, is_approved=True)
    return ticket


def _terminated(org):
    results = {
        Track.COMPLAINT: TrackResult(
            finding=Finding.PARTLY, outcome=Outcome.MEDIATION_FAILED, grounds="双方无法达成协议"
        )
    }
    return _complete(org, handled_ticket(org), results)


def _reporter(org):
    ticket = handled_ticket(org, kind=Kind.REPORT)
    submit(ticket, org.handler)  # good_results: case opened, 沪市监松处〔2026〕001号
    return ticket


def _archived(org):
    ticket = _complete(org, handled_ticket(org))
    return ticket_archive(ticket, actor=org.reviewer)


CASES = [
    (
        DocumentKind.ACCEPTANCE_NOTICE,
        lambda org: _acceptance(org, True),
        "市监投受〔2026〕1号",
        "第十四条",
        ["予以受理"],
    ),
    (
        DocumentKind.NOT_ACCEPTED_NOTICE,
        lambda org: _acceptance(org, False),
        "市监投不受〔2026〕1号",
        "第十四条、第十五条",
        ["不予受理", "经审查"],
    ),
    (DocumentKind.EXTENSION_APPROVAL, _extension, "市监投延〔2026〕1号", "第二十三条", ["案情复杂", "15"]),
    (DocumentKind.MEDIATION_TERMINATION, _terminated, "市监投终〔2026〕1号", "第二十一条", ["双方无法达成协议"]),
    (
        DocumentKind.CLOSING_OPINION,
        lambda org: _complete(org, handled_ticket(org)),
        "市监投结〔2026〕1号",
        "第十六条",
        ["经核查，已责令商家退款。"],
    ),
    (DocumentKind.REPORTER_NOTICE, _reporter, "市监举告〔2026〕1号", "第三十二条", ["立案", "沪市监松处〔2026〕001号"]),
    (DocumentKind.ARCHIVE_SHEET, _archived, "市监投档〔2026〕1号", "", ["工单处理单", "经核查，已责令商家退款。"]),
]


@pytest.mark.parametrize(("kind", "make", "number", "basis", "facts"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_is_made_on_its_decision_with_facts_number_and_legal_basis(org, kind, make, number, basis, facts):
    ticket = make(org)

    document = Document.objects.get(ticket=ticket, kind=kind, copy=Copy.STANDARD)
    text = document_text(document)

    assert document.number == number
    for fact in [ticket.external_id, number, "某某教育科技有限公司", org.bureau.name, *facts]:
        assert fact in text, fact
    if basis:
        assert "《市场监督管理投诉举报处理暂行办法》" in text and basis in text
    assert "13812345678" not in text and "310101199001011234" not in text
