"""A template and its fields made into a .docx (docxtpl), a template's fields checked, and a .docx read back as
the blocks of the printable page."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from documents.choices import fields_for


def _template(data: bytes) -> DocxTemplate:
    return DocxTemplate(io.BytesIO(data))


def template_fields(data: bytes, kind: str) -> list[str]:
    """The named fields a .docx template uses; refused (ValidationError) when it is no .docx, its fields cannot be
    read, or it names a field this kind does not have."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError({"file": _("This is not a .docx file (Word 2007 or later).")})
    try:
        used = _template(data).get_undeclared_template_variables(SandboxedEnvironment())
    except TemplateError as error:
        raise ValidationError(
            {"file": _("A field or tag in the template cannot be read: %(error)s") % {"error": error}}
        ) from None
    except Exception:  # a damaged package: python-docx's and lxml's errors are many
        raise ValidationError({"file": _("This .docx file cannot be opened.")}) from None
    unknown = sorted(set(used) - set(fields_for(kind)))
    if unknown:
        raise ValidationError(
            {
                "file": _("The template uses fields this document does not have: %(fields)s. See the list of fields.")
                % {"fields": ", ".join(unknown)}
            }
        )
    return sorted(used)


def render_docx(template: bytes, fields: dict) -> bytes:
    """The template filled in. Autoescaped (a field's text cannot add XML), sandboxed (a template runs no code)."""
    doc = _template(template)
    doc.render(fields, SandboxedEnvironment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_blocks(data: bytes) -> list[dict]:
    """The document's paragraphs and tables in order, as plain text (the printable page shows these)."""
    doc = DocxDocument(io.BytesIO(data))
    blocks = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, doc)
            align = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}.get(
                paragraph.alignment, ""
            )
            bold = bool(paragraph.runs) and all(run.bold for run in paragraph.runs if run.text.strip())
            blocks.append({"type": "p", "text": paragraph.text, "align": align, "bold": bold})
        elif tag == "tbl":
            rows = []
            for row in Table(child, doc).rows:
                cells = []
                for cell in row.cells:
                    if cells and cell._tc is cells[-1][1]:
                        continue  # a merged cell is listed once per column it spans
                    cells.append((cell.text, cell._tc))
                rows.append([text for text, _tc in cells])
            blocks.append({"type": "table", "rows": rows})
    return blocks
