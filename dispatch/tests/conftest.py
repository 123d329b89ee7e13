import datetime as dt

import pytest

from dispatch.models import CatalogueRow
from tickets.models import Category
from tickets.tests.conftest import NOW, frozen  # noqa: F401 (the tickets tests' frozen clock)


@pytest.fixture
def categories(db, reference_data):
    return {code: Category.objects.get(code=code) for code in ("food", "food-catering", "education", "price")}


def add_row(org, category, lead, *, area="", assisting=(), effective_from=dt.date(2026, 1, 1)):
    row = CatalogueRow.objects.create(
        bureau=org.bureau, category=category, area=area, lead_unit=lead, effective_from=effective_from
    )
    row.assisting_units.set(assisting)
    return row


__all__ = ["NOW", "add_row", "frozen"]
