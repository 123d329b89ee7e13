"""Hotline's own templates, one per kind, in Chinese: used until a bureau uploads its own.

Each is written here as a short list of blocks and built into a .docx (python-docx) with the same named fields
an uploaded template uses (docxtpl's {{ field }}, tables' {%tr for %} rows), so the default and an uploaded
template go through one renderer. An administrator downloads a default as the starting point of the bureau's own.
"""

from __future__ import annotations

import functools
import io

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from documents.choices import DocumentKind

HEAD = [
    ("center", "{{ bureau_name }}", 16),
    ("title", "{{ document_title }}", 18),
    ("right", "{{ document_number }}", 11),
]
FOOT = [
    ("p", "依据：{{ legal_basis or '无' }}"),
    ("right", "{{ bureau_name }}", 12),
    ("right", "{{ issued_date }}", 12),
]
FACTS = (
    "facts",
    [
        ("工单号", "{{ work_order_number }}"),
        ("受理时间", "{{ received_date }}"),
        ("来源", "{{ source }}"),
        ("类别", "{{ ticket_kind }}"),
        ("标题", "{{ title }}"),
        ("被投诉（举报）人", "{{ respondent_name }} {{ respondent_credit_code }}"),
        ("承办单位", "{{ unit_name }}"),
        ("承办人", "{{ handler_name }}"),
    ],
)
TRACKS = (
    "table",
    ["办理类型", "调查结论", "处理结果", "理由", "案号"],
    "t",
    "tracks",
    ["{{ t.name }}", "{{ t.finding }}", "{{ t.outcome }}", "{{ t.grounds }}", "{{ t.case_number }}"],
)

BODIES = {
    DocumentKind.ACCEPTANCE_NOTICE: [
        ("p", "{{ complainant_name or '投诉人' }}："),
        (
            "p",
            "你于{{ received_date }}通过{{ source }}提出的投诉（工单号：{{ work_order_number }}，"
            "被投诉人：{{ respondent_name }}），本局经审查，于{{ decision_date }}决定予以受理，"
            "并将依法组织调解。{{ decision_note }}",
        ),
        ("p", "特此告知。"),
    ],
    DocumentKind.NOT_ACCEPTED_NOTICE: [
        ("p", "{{ complainant_name or '投诉人' }}："),
        (
            "p",
            "你于{{ received_date }}通过{{ source }}提出的投诉（工单号：{{ work_order_number }}，"
            "被投诉人：{{ respondent_name }}），本局经审查，于{{ decision_date }}决定不予受理。",
        ),
        ("p", "理由：{{ decision_note or '见依据所列情形' }}"),
        ("p", "特此告知。"),
    ],
    DocumentKind.EXTENSION_APPROVAL: [
        FACTS,
        (
            "facts",
            [
                ("延期事项", "{{ deadline }}"),
                ("延长工作日", "{{ extension_days }}"),
                ("申请理由", "{{ extension_reason }}"),
                ("申请人、日期", "{{ requested_by }} {{ requested_date }}"),
                ("审批人、日期", "{{ decided_by }} {{ decided_date }}"),
                ("审批意见", "同意。{{ decision_note }}"),
                ("延期后到期日", "{{ new_due_date }}"),
            ],
        ),
    ],
    DocumentKind.MEDIATION_TERMINATION: [
        ("p", "{{ complainant_name or '投诉人' }}、{{ respondent_name }}："),
        ("p", "关于工单号{{ work_order_number }}（{{ title }}）的投诉，本局于{{ decision_date }}决定终止调解。"),
        ("p", "理由：{{ grounds or outcome }}"),
        ("p", "特此告知。"),
    ],
    DocumentKind.CLOSING_OPINION: [
        FACTS,
        TRACKS,
        ("p", "办理答复：{{ reply_text }}"),
        ("p", "办结日期：{{ completed_date }}"),
    ],
    DocumentKind.REPORTER_NOTICE: [
        ("p", "{{ complainant_name or '举报人' }}："),
        (
            "p",
            "你于{{ received_date }}通过{{ source }}对{{ respondent_name }}的举报（工单号：{{ work_order_number }}），"
            "本局于{{ decision_date }}作出处理决定：{{ filing_decision }}{{ '，案号' ~ case_number if case_number }}。",
        ),
        ("p", "{{ grounds }}"),
        ("p", "本局对举报人的信息予以保密。特此告知。"),
    ],
    DocumentKind.ARCHIVE_SHEET: [
        FACTS,
        ("p", "诉求内容：{{ content }}"),
        ("heading", "办理过程"),
        (
            "table",
            ["时间", "经办人", "环节", "说明"],
            "s",
            "steps",
            ["{{ s.at }}", "{{ s.by }}", "{{ s.what }}", "{{ s.details }}"],
        ),
        ("heading", "办理结果"),
        TRACKS,
        ("p", "答复：{{ reply_text }}"),
        ("heading", "审核退回"),
        (
            "table",
            ["时间", "环节", "退回人", "理由", "说明"],
            "r",
            "returns",
            ["{{ r.at }}", "{{ r.stage }}", "{{ r.by }}", "{{ r.reasons }}", "{{ r.comment }}"],
        ),
        ("heading", "回访"),
        (
            "table",
            ["时间", "回访人", "解决情况", "满意度", "说明"],
            "c",
            "callbacks",
            ["{{ c.at }}", "{{ c.by }}", "{{ c.resolved }}", "{{ c.satisfaction }}", "{{ c.comment }}"],
        ),
        ("heading", "已出具文书"),
        (
            "table",
            ["文书", "文号", "版本", "日期"],
            "d",
            "documents",
            ["{{ d.title }}", "{{ d.number }}", "{{ d.version }}", "{{ d.date }}"],
        ),
        ("p", "办结日期：{{ completed_date }}　归档日期：{{ archived_date }}"),
    ],
}


def _paragraph(doc, text: str, *, align=None, size: int | None = None, bold: bool = False):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _block(doc, block) -> None:
    kind = block[0]
    if kind == "center" or kind == "title":
        _paragraph(doc, block[1], align=WD_ALIGN_PARAGRAPH.CENTER, size=block[2], bold=True)
    elif kind == "right":
        _paragraph(doc, block[1], align=WD_ALIGN_PARAGRAPH.RIGHT, size=block[2])
    elif kind == "heading":
        _paragraph(doc, block[1], size=13, bold=True)
    elif kind == "p":
        _paragraph(doc, block[1])
    elif kind == "facts":
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in block[1]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    elif kind == "table":
        _label, headers, var, name, cells = block
        table = doc.add_table(rows=0, cols=len(headers))
        table.style = "Table Grid"
        for row in (
            headers,
            [f"{{%tr for {var} in {name} %}}"] + [""] * (len(headers) - 1),
            cells,
            ["{%tr endfor %}"] + [""] * (len(headers) - 1),
        ):
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text


@functools.cache
def default_template(kind: str) -> bytes:
    """The built-in template of a kind, as .docx bytes."""
    doc = DocxDocument()
    for block in [*HEAD, *BODIES[kind], *FOOT]:
        _block(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
