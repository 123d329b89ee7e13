import datetime as dt

from django.urls import reverse

from tickets.choices import Kind, Source, Status
from tickets.models import Ticket
from tickets.tests.conftest import NOW
from tickets.tests.factories import make_ticket


def intake_data(**overrides):
    data = {
        "source": Source.WALK_IN,
        "kind": Kind.COMPLAINT,
        "received_at": "2026-10-09T08:30",
        "title": "健身房关门不退卡",
        "content": "某健身房突然停业，会员卡余额无法退还。",
        "complainant_name": "李四",
        "complainant_phone": "139 0000 1111",
        "respondent_name": "某某健身有限公司",
        "tags": ["mass"],
    }
    data.update(overrides)
    return data


def test_intake_page_is_chinese(client, org):
    client.force_login(org.dispatcher)

    response = client.get(reverse("tickets:intake"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>登记工单</h1>" in body
    assert "来访" in body


def test_intake_creates_a_received_ticket(client, org, frozen):
    client.force_login(org.dispatcher)

    response = client.post(reverse("tickets:intake"), intake_data())

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert (ticket.status, ticket.source, ticket.complainant_phone, ticket.tags) == (
        Status.RECEIVED,
        Source.WALK_IN,
        "13900001111",
        ["mass"],
    )
    assert ticket.external_id.startswith("HL-20261009-")


def test_intake_warns_about_the_same_complainant_and_business(client, org, frozen):
    existing = make_ticket(org, received_at=NOW - dt.timedelta(days=10))
    client.force_login(org.dispatcher)
    data = intake_data(complainant_phone="13812345678", respondent_name="某某教育科技有限公司")

    warned = client.post(reverse("tickets:intake"), data)
    confirmed = client.post(reverse("tickets:intake"), data | {"confirm_duplicate": "on"})

    assert warned.status_code == 200
    assert [t.pk for t in warned.context["duplicates"]] == [existing.pk]
    assert "可能重复" in warned.content.decode()
    assert confirmed.status_code == 302
    assert Ticket.objects.count() == 2


def test_intake_warns_about_the_same_external_id(client, org, frozen):
    make_ticket(org, external_id="HL-LETTER-7", source=Source.LETTER)
    client.force_login(org.dispatcher)

    response = client.post(reverse("tickets:intake"), intake_data(external_id="HL-LETTER-7", source=Source.LETTER))

    assert response.status_code == 200
    assert [t.external_id for t in response.context["duplicates"]] == ["HL-LETTER-7"]
    assert Ticket.objects.count() == 1


def test_intake_same_number_confirmed_anyway_is_an_error_not_a_500(client, org, frozen):
    make_ticket(org, external_id="HL-LETTER-8", source=Source.LETTER)
    client.force_login(org.dispatcher)
    data = intake_data(external_id="HL-LETTER-8", source=Source.LETTER, confirm_duplicate="on")

    response = client.post(reverse("tickets:intake"), data)

    assert response.status_code == 400
    assert response.context["form"].errors["external_id"] == ["该来源已有相同编号的工单。"]


def test_intake_refuses_a_platform_source(client, org, frozen):
    client.force_login(org.dispatcher)

    response = client.post(reverse("tickets:intake"), intake_data(source=Source.HOTLINE_12345))

    assert response.status_code == 400
    assert "source" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_intake_is_forbidden_to_a_handler(client, org):
    client.force_login(org.handler)

    response = client.post(reverse("tickets:intake"), intake_data())

    assert response.status_code == 403
    assert not Ticket.objects.exists()
