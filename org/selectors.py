"""Reads of the organisation that lists show on every row: units and staff names, kept per process.

A list of work orders names each row's unit and handler; joining both tables into every list query cost
the database more planning than the scan, and the ORM more than either. Units and people change rarely:
their display values are kept per process (core.process_cache: dropped when a unit or a person is
saved here, reloaded within a minute elsewhere), and an id the copy does not know yet is read at once.
"""

from __future__ import annotations

from core.process_cache import ProcessCache
from org.models import Unit, User, display_name

_units: ProcessCache[dict[int, dict]] = ProcessCache(
    lambda: {
        pk: {"code": code, "name": name, "bureau_id": bureau_id}
        for pk, code, name, bureau_id in Unit.objects.values_list("pk", "code", "name", "bureau_id")
    },
    invalidated_by=[Unit],
)


def _names_load(ids=None) -> dict[int, str]:
    people = User.objects.all() if ids is None else User.objects.filter(pk__in=ids)
    return {
        pk: display_name(first_name=first, last_name=last, username=username)
        for pk, first, last, username in people.values_list("pk", "first_name", "last_name", "username")
    }


_names: ProcessCache[dict[int, str]] = ProcessCache(_names_load, invalidated_by=[User])


def unit_labels(unit_ids) -> dict[int, dict]:
    """unit id -> {"code", "name"} for the given ids (no query while the copy knows them all)."""
    known = _units.get()
    if any(pk not in known for pk in unit_ids):
        _units.invalidate()  # a unit made in another process since the copy was loaded
        known = _units.get()
    return {pk: known[pk] for pk in unit_ids if pk in known}


def unit_names_by_code(bureau_id: int) -> dict[str, str]:
    """unit code -> name within a bureau: the timeline's events store unit codes."""
    return {unit["code"]: unit["name"] for unit in _units.get().values() if unit["bureau_id"] == bureau_id}


def staff_display_names(user_ids) -> dict[int, str]:
    """user id -> display_name for the given ids (no query while the copy knows them all)."""
    known = _names.get()
    missing = [pk for pk in user_ids if pk not in known]
    if missing:
        return {**{pk: known[pk] for pk in user_ids if pk in known}, **_names_load(missing)}
    return {pk: known[pk] for pk in user_ids}
