"""Every HTML form's date and time is range-checked as the API's are (core.dates): a form error in Chinese,
never a 500, for a year 1, a year 9999 or a day before Hotline's records begin."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from reviews.models import InspectionCampaign
from tickets import services
from tickets.models import Ticket
from tickets.tests.factories import make_ticket
from tickets.tests.test_views_intake import intake_data
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
OUT_OF_RANGE = "请输入 2000 年至 2100 年之间的日期。"
TIMES = ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59"]
DAYS = ["0001-01-01", "9999-12-31", "1999-12-31"]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("moment", TIMES)
def test_intake_form_refuses_a_time_out_of_range(client, org, frozen, moment):
    client.force_login(org.dispatcher)

    response = client.post(reverse("tickets:intake"), intake_data(received_at=moment))

    assert response.status_code == 400  # the page again, with the form's errors
    assert OUT_OF_RANGE in response.context["form"].errors["received_at"]
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("moment", TIMES)
def test_first_contact_form_refuses_a_time_out_of_range(client, org, frozen, moment):
    ticket = make_ticket(org)
    services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    services.ticket_accept(ticket, actor=org.handler)
    client.force_login(org.handler)

    response = client.post(
        reverse("tickets:first_contact", args=[ticket.pk]),
        {"contact-version": ticket.version, "contact-contacted_at": moment},
    )

    assert response.status_code == 400
    assert OUT_OF_RANGE in response.content.decode()
    assert not ticket.events.filter(code="first_contact").exists()


@pytest.mark.parametrize("day", DAYS)
def test_ticket_list_filter_refuses_a_day_out_of_range(client, org, day):
    client.force_login(org.dispatcher)

    response = client.get(reverse("tickets:list"), {"due_before": day})

    assert response.status_code == 200
    assert response.context["filter"].errors["due_before"] == [OUT_OF_RANGE]


@pytest.mark.parametrize("day", DAYS)
def test_inspection_campaign_form_refuses_a_period_out_of_range(client, org, day):
    client.force_login(org.chief)

    response = client.post(
        reverse("reviews:campaign_create"),
        {"name": "专项", "period_start": day, "period_end": "2026-10-31", f"quota_{org.office_a.pk}": "2"},
    )

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert InspectionCampaign.objects.count() == 0


def test_training_form_refuses_a_day_out_of_range(client, org):
    client.force_login(org.chief)

    response = client.post(reverse("reviews:training"), {"title": "培训", "held_on": "9999-12-31"})

    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
