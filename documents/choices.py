"""The kinds of official document (文书), their legal basis and the named fields a template may use.

Imports nothing of ours. The legal basis is the article of 《市场监督管理投诉举报处理暂行办法》 that the
decision rests on; the document prints it in its own words.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

REGULATION = "《市场监督管理投诉举报处理暂行办法》"


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("Acceptance notice (受理告知书)")
    NOT_ACCEPTED_NOTICE = "not_accepted_notice", _("Not-accepted notice (不予受理告知书)")
    EXTENSION_APPROVAL = "extension_approval", _("Extension approval form (延期审批单)")
    MEDIATION_TERMINATION = "mediation_termination", _("Mediation termination notice (终止调解告知书)")
    CLOSING_OPINION = "closing_opinion", _("Closing opinion (办结意见书)")
    REPORTER_NOTICE = "reporter_notice", _("Reporter notification of the filing decision (举报处理告知书)")
    ARCHIVE_SHEET = "archive_sheet", _("Work-order sheet for the archive (工单处理单)")


# The document's own title, printed on it (a document of a Chinese bureau is titled in Chinese in every UI).
TITLES = {
    DocumentKind.ACCEPTANCE_NOTICE: "受理告知书",
    DocumentKind.NOT_ACCEPTED_NOTICE: "不予受理告知书",
    DocumentKind.EXTENSION_APPROVAL: "延期审批单",
    DocumentKind.MEDIATION_TERMINATION: "终止调解告知书",
    DocumentKind.CLOSING_OPINION: "办结意见书",
    DocumentKind.REPORTER_NOTICE: "举报处理告知书",
    DocumentKind.ARCHIVE_SHEET: "工单处理单",
}

# The number's default format per kind until an administrator sets the bureau's own (documents.NumberFormat).
DEFAULT_NUMBER_FORMATS = {
    DocumentKind.ACCEPTANCE_NOTICE: "市监投受〔{year}〕{number}号",
    DocumentKind.NOT_ACCEPTED_NOTICE: "市监投不受〔{year}〕{number}号",
    DocumentKind.EXTENSION_APPROVAL: "市监投延〔{year}〕{number}号",
    DocumentKind.MEDIATION_TERMINATION: "市监投终〔{year}〕{number}号",
    DocumentKind.CLOSING_OPINION: "市监投结〔{year}〕{number}号",
    DocumentKind.REPORTER_NOTICE: "市监举告〔{year}〕{number}号",
    DocumentKind.ARCHIVE_SHEET: "市监投档〔{year}〕{number}号",
}

# Kinds that go to the business as well: each is issued as the complainant's copy and a business copy, which
# never shows the complainant's identity.
BUSINESS_COPY_KINDS = frozenset({DocumentKind.MEDIATION_TERMINATION, DocumentKind.CLOSING_OPINION})


class Copy(models.TextChoices):
    STANDARD = "standard", _("File copy")
    BUSINESS = "business", _("Business copy")


def article(*numbers: str) -> str:
    return REGULATION + "、".join(f"第{n}条" for n in numbers)


# The articles each kind rests on (a closing opinion: by track, see documents.context).
LEGAL_BASIS = {
    DocumentKind.ACCEPTANCE_NOTICE: article("十四"),
    DocumentKind.NOT_ACCEPTED_NOTICE: article("十四", "十五"),
    DocumentKind.MEDIATION_TERMINATION: article("二十一"),
    DocumentKind.REPORTER_NOTICE: article("三十一", "三十二", "三十三"),
    DocumentKind.EXTENSION_APPROVAL: "",  # by clock: verification extended under Art. 23, else none
    DocumentKind.CLOSING_OPINION: "",  # by track: Art. 16 (complaint, mediation), Art. 31 (report)
    DocumentKind.ARCHIVE_SHEET: "",
}
VERIFICATION_EXTENSION_BASIS = article("二十三")
COMPLAINT_CLOSING_BASIS = article("十六")
REPORT_CLOSING_BASIS = article("三十一")

# The named fields of every document (documents.context fills them), and those of one kind only.
COMMON_FIELDS = {
    "bureau_name": _("the bureau's name"),
    "document_title": _("the document's title"),
    "document_number": _("the document's number, e.g. 松市监投告〔2026〕123号"),
    "issued_date": _("the date of issue (2026年10月9日)"),
    "legal_basis": _("the legal basis (article of the regulation), empty where none applies"),
    "work_order_number": _("the work order's number"),
    "received_date": _("the date the work order was received"),
    "source": _("where it came from (12345, 12315, walk-in ...)"),
    "ticket_kind": _("complaint, report, inquiry ..."),
    "title": _("the work order's title"),
    "content": _("what the citizen asked (phone and ID numbers masked; on a business copy the name too)"),
    "complainant_name": _("the complainant's name (empty on a business copy and on a confidential work order)"),
    "complainant_phone": _("the complainant's phone, masked (empty where the name is)"),
    "complainant_address": _("the complainant's address (empty where the name is)"),
    "respondent_name": _("the business complained about"),
    "respondent_credit_code": _("its unified social credit code"),
    "respondent_address": _("its address"),
    "unit_name": _("the unit handling it"),
    "handler_name": _("the handler"),
}
KIND_FIELDS = {
    DocumentKind.ACCEPTANCE_NOTICE: {
        "decision_date": _("the date of the decision"),
        "decision_note": _("the note given with the decision"),
    },
    DocumentKind.NOT_ACCEPTED_NOTICE: {
        "decision_date": _("the date of the decision"),
        "decision_note": _("the reason given with the decision"),
    },
    DocumentKind.EXTENSION_APPROVAL: {
        "deadline": _("the deadline extended"),
        "extension_days": _("working days added"),
        "extension_reason": _("the reason asked"),
        "requested_by": _("who asked"),
        "requested_date": _("the date asked"),
        "decided_by": _("who approved"),
        "decided_date": _("the date approved"),
        "decision_note": _("the approver's note"),
        "new_due_date": _("the deadline's new due date"),
    },
    DocumentKind.MEDIATION_TERMINATION: {
        "finding": _("the complaint's finding"),
        "outcome": _("the complaint's outcome"),
        "grounds": _("the written grounds"),
        "decision_date": _("the date of the decision"),
    },
    DocumentKind.CLOSING_OPINION: {
        "reply_text": _("the reply"),
        "tracks": _("list: each track with .name, .finding, .outcome, .grounds, .case_number"),
        "completed_date": _("the date the work order was completed"),
    },
    DocumentKind.REPORTER_NOTICE: {
        "filing_decision": _("the filing decision (case opened or not)"),
        "case_number": _("the case number, when a case was opened"),
        "grounds": _("the written grounds"),
        "decision_date": _("the date of the decision"),
    },
    DocumentKind.ARCHIVE_SHEET: {
        "reply_text": _("the reply"),
        "tracks": _("list: each track with .name, .finding, .outcome, .grounds, .case_number"),
        "steps": _("list: every step with .at, .by, .what, .details"),
        "returns": _("list: each return for redo with .at, .stage, .by, .reasons, .comment"),
        "callbacks": _("list: each callback with .at, .by, .resolved, .satisfaction, .comment"),
        "documents": _("list: each document issued with .title, .number, .version, .date"),
        "completed_date": _("the date the work order was completed"),
        "archived_date": _("the date it was archived"),
    },
}


def fields_for(kind: str) -> dict:
    return {**COMMON_FIELDS, **KIND_FIELDS.get(kind, {})}
