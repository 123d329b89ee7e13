"""Document numbers: a gap-free sequence per bureau, kind and year, in the bureau's format.

`number_next` locks the (bureau, kind, year) counter row until the caller's transaction ends, so two decisions
at once get consecutive numbers, and a decision rolled back gives its number back (the counter rolls back with
it): no number is skipped or given twice. Call it inside the transaction that writes the document.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents.choices import DEFAULT_NUMBER_FORMATS
from documents.models import DocumentCounter, NumberFormat

ALLOWED_KEYS = {"year", "number"}


def number_format_check(pattern: str) -> None:
    """Refuse a format that names anything but {year} and {number}, or lacks {number}."""
    try:
        keys = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
        pattern.format(year=2026, number=1)
    except (ValueError, IndexError, KeyError):
        raise ValidationError({"pattern": _("The format is not valid: write {year} and {number} in braces.")}) from None
    if "number" not in keys or keys - ALLOWED_KEYS:
        raise ValidationError({"pattern": _("Use {number} and, if you like, {year}; nothing else in braces.")})


def number_format_for(bureau_id: int, kind: str) -> str:
    row = NumberFormat.objects.filter(bureau_id=bureau_id, kind=kind).values_list("pattern", flat=True).first()
    return row or DEFAULT_NUMBER_FORMATS[kind]


def number_next(bureau_id: int, kind: str, year: int) -> tuple[int, str]:
    """The next sequence number of (bureau, kind, year) and the number written in the bureau's format."""
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(bureau_id=bureau_id, kind=kind, year=year, last=0)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(bureau_id=bureau_id, kind=kind, year=year)
    counter.last += 1
    DocumentCounter.objects.filter(pk=counter.pk).update(last=counter.last)
    return counter.last, number_format(number_format_for(bureau_id, kind), year=year, sequence=counter.last)


def number_format(pattern: str, *, year: int, sequence: int) -> str:
    try:
        return pattern.format(year=year, number=sequence)
    except (ValueError, IndexError, KeyError):  # a format saved around the form's check: still a number
        return f"〔{year}〕{sequence}号"
