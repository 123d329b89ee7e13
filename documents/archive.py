"""A month's archive as one .zip: each archived work order's documents in a folder of its own, and an index (.xlsx)."""

from __future__ import annotations

import io
import tempfile
import zipfile

from openpyxl import Workbook

from core.downloads import download_safe_name
from documents.context import date_cn

INDEX_HEADERS = ["工单号", "标题", "承办单位", "受理日期", "办结日期", "归档日期", "文书", "文号", "版本", "文件"]


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula: keep it text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def archive_zip(tickets: list, *, month_label: str):
    """The .zip (a temporary file, rewound) of the tickets as selectors.archived_in_month gives them."""
    handle = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 (the response closes it)
    book = Workbook()
    sheet = book.active
    sheet.title = month_label
    sheet.append(INDEX_HEADERS)
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for ticket in tickets:
            folder = download_safe_name(ticket.external_id)
            facts = [
                ticket.external_id,
                ticket.title,
                ticket.unit.name if ticket.unit_id else "",
                date_cn(ticket.received_at),
                date_cn(ticket.completed_at),
                date_cn(ticket.archived_at),
            ]
            if not ticket.document_list:
                sheet.append([_cell(str(v)) for v in facts] + ["", "", "", ""])
            for document in ticket.document_list:
                name = f"{folder}/{download_safe_name(document.file_name)}"
                try:
                    with document.file.open("rb") as source:
                        archive.writestr(name, source.read())
                except FileNotFoundError:
                    name = ""
                sheet.append(
                    [_cell(str(v)) for v in facts] + [document.title, _cell(document.number), document.version, name]
                )
        index = io.BytesIO()
        book.save(index)
        archive.writestr(f"索引-{month_label}.xlsx", index.getvalue())
    handle.seek(0)
    return handle
