import datetime as dt

import pytest
import time_machine

from workdays.calendar import SHANGHAI

# The time the ticket page tests run at (a Friday, a working day), frozen by `frozen`.
NOW = dt.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """The clock stopped at NOW."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
