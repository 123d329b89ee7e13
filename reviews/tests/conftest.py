import datetime as dt

import pytest
import time_machine

from workdays.calendar import SHANGHAI

# The time the review tests run at (a Friday, a working day), frozen by `frozen`.
NOW = dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """The clock stopped at NOW: a module uses it with `pytestmark = pytest.mark.usefixtures("frozen")`."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def _roles(transactional_db):
    # An earlier transactional test truncates every table, the roles made by a data migration included.
    from org.choices import RoleCode
    from org.models import Role

    for code in RoleCode.values:
        Role.objects.get_or_create(code=code, defaults={"name": code})
