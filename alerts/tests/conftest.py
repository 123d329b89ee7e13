import pytest

from alerts.services import alert_detect_for_ticket
from alerts.tests.factories import make_ticket


@pytest.fixture
def receive():
    """A work order received and checked, as the hand-over after intake's commit does."""

    def receive(org, **fields):
        ticket = make_ticket(org, **fields)
        alert_detect_for_ticket(ticket.pk)
        return ticket

    return receive
