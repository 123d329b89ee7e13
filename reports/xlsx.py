"""The reports' .xlsx downloads (openpyxl): real number cells with their formats, the header row frozen."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.0%"
INTEGER = "#,##0"


@dataclass
class Sheet:
    """One worksheet: a title (Excel allows 31 characters), a header row and rows of values.

    `formats` maps a column's index to an Excel number format (PERCENT takes a fraction: 0.962 shows 96.2%);
    numbers stay numbers, None stays an empty cell."""

    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)


def workbook_bytes(sheets: list[Sheet], decorate=None) -> bytes:
    """The workbook of these sheets, as bytes; `decorate(book)`, when given, adds to it first (charts)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.append([str(text) for text in sheet.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append(row)
        for column, number_format in sheet.formats.items():
            for (cell,) in ws.iter_rows(min_row=2, min_col=column + 1, max_col=column + 1):
                cell.number_format = number_format
        for index in range(len(sheet.header)):
            ws.column_dimensions[get_column_letter(index + 1)].width = sheet.widths.get(index, 14 if index else 28)
        ws.freeze_panes = "B2"
    if decorate is not None:
        decorate(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
