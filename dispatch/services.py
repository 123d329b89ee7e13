"""Writes of the dispatch catalogue: a version saved or withdrawn, a workbook imported; every change audited.

A row in force (effective on or before today) is never changed or deleted: the change is a new version from
today or later, so that the suggestion for a ticket received before it stays what it was.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import Action
from audit.services import audit_record
from dispatch import selectors
from dispatch.models import CatalogueRow
from org.models import Unit, User
from tickets.models import Category

COLUMNS = ("category", "area", "lead_unit", "assisting_units", "effective_from", "note")
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass
class RowInput:
    category: Category
    area: str
    lead_unit: Unit
    assisting_units: list[Unit]
    effective_from: dt.date
    note: str = ""


def _check(bureau_id: int, data: RowInput, *, today: dt.date) -> dict:
    errors = {}
    if data.effective_from < today:
        errors["effective_from"] = _("A version takes effect today or later: the past is not rewritten.")
    units = [data.lead_unit, *data.assisting_units]
    if any(unit.bureau_id != bureau_id or not unit.is_active for unit in units):
        errors["lead_unit"] = _("Choose active units of this bureau.")
    if data.lead_unit in data.assisting_units:
        errors["assisting_units"] = _("The lead unit cannot also assist.")
    return errors


def _audit(row: CatalogueRow, op: str, actor: User) -> None:
    audit_record(
        Action.CATALOGUE_CHANGED,
        actor=actor,
        obj=row,
        data={
            "op": op,
            "bureau": row.bureau_id,
            "category": row.category.code,
            "area": row.area,
            "lead_unit": row.lead_unit.code,
            "assisting_units": sorted(unit.code for unit in row.assisting_units.all()) if row.pk else [],
            "effective_from": row.effective_from.isoformat(),
        },
    )


def _keep_suggestions_after_commit(bureau_id: int) -> None:
    """The waiting work orders' kept suggestions follow the catalogue (tickets.services.suggesting), after the
    commit, in the background; until then the inbox works out those whose key no longer matches."""
    from functools import partial

    from django.conf import settings

    from core.tasks import task_publish

    transaction.on_commit(
        partial(
            task_publish,
            "tickets.keep_suggestions",
            [bureau_id],
            timeout=settings.NOTIFICATIONS_PUBLISH_TIMEOUT_SECONDS,
        )
    )


def catalogue_row_save(
    *, bureau_id: int, data: RowInput, actor: User, row: CatalogueRow | None = None, keep_suggestions: bool = True
) -> CatalogueRow:
    """A new version, or a change to one not yet in force (`row`). The same key and date as an existing
    version not yet in force changes that one. `keep_suggestions=False`: the caller hands the suggestions over
    once for many rows (the workbook)."""
    today = timezone.localdate()
    errors = _check(bureau_id, data, today=today)
    if row is not None and row.effective_from <= today:
        errors[None] = _("This version is in force: save a new version instead.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if row is None:
            row = CatalogueRow.objects.filter(
                bureau_id=bureau_id, category=data.category, area=data.area, effective_from=data.effective_from
            ).first()
            op = "created" if row is None else "updated"
            row = row or CatalogueRow(bureau_id=bureau_id)
        else:
            op = "updated"
        row.category, row.area, row.lead_unit = data.category, data.area, data.lead_unit
        row.effective_from, row.note, row.changed_by = data.effective_from, data.note, actor
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(
                {"effective_from": _("A version of this category and area already takes effect on this day.")}
            ) from None
        row.assisting_units.set(data.assisting_units)
        _audit(row, op, actor)
        if keep_suggestions:
            _keep_suggestions_after_commit(bureau_id)
    selectors.catalogue.invalidate()
    return row


def catalogue_row_delete(row: CatalogueRow, *, actor: User) -> None:
    if row.effective_from <= timezone.localdate():
        raise ValidationError(_("This version is in force and stays; save a new version to change it."))
    with transaction.atomic():
        _audit(row, "deleted", actor)
        row.delete()
        _keep_suggestions_after_commit(row.bureau_id)
    selectors.catalogue.invalidate()


# ---------------------------------------------------------------- the workbook


def catalogue_export(bureau_id: int) -> bytes:
    """Every version of the bureau's catalogue as an .xlsx workbook, in the columns the import reads."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "catalogue"
    sheet.append(list(COLUMNS))
    rows = (
        CatalogueRow.objects.filter(bureau_id=bureau_id)
        .select_related("category", "lead_unit")
        .prefetch_related("assisting_units")
        .order_by("category__code", "area", "effective_from")
    )
    for row in rows:
        sheet.append(
            [
                row.category.code,
                row.area,
                row.lead_unit.code,
                ",".join(sorted(unit.code for unit in row.assisting_units.all())),
                row.effective_from,
                row.note,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def catalogue_import(upload, *, bureau_id: int, actor: User) -> int:
    """Read a workbook (the export's columns) and save every row, or none: a ValidationError lists each bad
    line. Versions that exist as they are (an export read back) are skipped; the count saved is returned."""
    from openpyxl import load_workbook

    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("The workbook is too large (at most 5 MB)."))
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        lines = list(book.worksheets[0].iter_rows(values_only=True))
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise ValidationError(_("This is not an .xlsx workbook.")) from None
    if not lines or [str(c or "").strip() for c in lines[0][: len(COLUMNS)]] != list(COLUMNS):
        raise ValidationError(_("The first row must name the columns: %(columns)s.") % {"columns": ", ".join(COLUMNS)})
    lines = [line for line in lines[1:] if any(cell not in (None, "") for cell in line)]
    if len(lines) > MAX_IMPORT_ROWS:
        raise ValidationError(_("At most %(n)s rows at a time.") % {"n": MAX_IMPORT_ROWS})
    categories = {c.code: c for c in Category.objects.filter(is_active=True)}
    units = {u.code: u for u in Unit.objects.filter(bureau_id=bureau_id, is_active=True)}
    today = timezone.localdate()
    # An export read back in: the versions that exist unchanged are skipped, past ones included.
    existing = {
        (row.category_id, row.area, row.effective_from): (row.lead_unit_id, {u.pk for u in row.assisting_units.all()})
        for row in CatalogueRow.objects.filter(bureau_id=bureau_id).prefetch_related("assisting_units")
    }
    inputs, problems = [], []
    for number, line in enumerate(lines, start=2):
        cells = [str(c).strip() if c is not None and not isinstance(c, dt.date) else c for c in line]
        cells = (cells + [None] * len(COLUMNS))[: len(COLUMNS)]
        code, area, lead, assisting, effective, note = cells
        category = categories.get(code or "")
        lead_unit = units.get(lead or "")
        assisting_codes = [c.strip() for c in str(assisting or "").replace("，", ",").split(",") if c.strip()]
        effective_from = _cell_date(effective)
        wrong = []
        if category is None:
            wrong.append(_("unknown category %(code)s") % {"code": code or ""})
        if lead_unit is None:
            wrong.append(_("unknown lead unit %(code)s") % {"code": lead or ""})
        unknown = [c for c in assisting_codes if c not in units]
        if unknown:
            wrong.append(_("unknown assisting unit %(code)s") % {"code": ", ".join(unknown)})
        if effective_from is None:
            wrong.append(_("the date is not a date (YYYY-MM-DD)"))
        if not wrong:
            data = RowInput(
                category=category,
                area=str(area or "")[:100],
                lead_unit=lead_unit,
                assisting_units=[units[c] for c in assisting_codes],
                effective_from=effective_from,
                note=str(note or "")[:300],
            )
            same = existing.get((category.pk, data.area, effective_from))
            if same == (lead_unit.pk, {unit.pk for unit in data.assisting_units}):
                continue
            wrong.extend(str(message) for message in _check(bureau_id, data, today=today).values())
            inputs.append(data)
        if wrong:
            problems.append(_("row %(number)s: %(problems)s") % {"number": number, "problems": "; ".join(wrong)})
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        for data in inputs:
            catalogue_row_save(bureau_id=bureau_id, data=data, actor=actor, keep_suggestions=False)
        _keep_suggestions_after_commit(bureau_id)
    return len(inputs)
