import datetime as dt
import io

import pytest
import time_machine
from docx import Document as DocxDocument

from workdays.calendar import SHANGHAI

# The time the documents tests run at (a Friday, a working day), frozen by `frozen`.
NOW = dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line (python-docx)."""
    doc = DocxDocument(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def document_text(document) -> str:
    with document.file.open("rb") as handle:
        return docx_text(handle.read())
