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


# ---------------------------------------------------------------- the warning leads to the merge (issue 18 item 3)


def test_the_warning_offers_to_take_it_in_merged_and_that_merges_it(client, org, frozen):
    from audit.models import AuditRecord

    existing = make_ticket(org, received_at=NOW - dt.timedelta(days=10))
    client.force_login(org.dispatcher)
    data = intake_data(complainant_phone="13812345678", respondent_name="上海某某教育科技有限公司")

    warned = client.post(reverse("tickets:intake"), data)
    assert warned.context["may_merge"] is True
    assert f'name="merge_into" value="{existing.pk}"' in warned.content.decode()
    assert "并入此工单登记" in warned.content.decode()

    merged = client.post(reverse("tickets:intake"), data | {"merge_into": str(existing.pk)})

    ticket = Ticket.objects.exclude(pk=existing.pk).get()
    assert merged.status_code == 302
    assert merged["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.merged_into_id == existing.pk
    assert list(ticket.events.order_by("pk").values_list("code", flat=True))[:2] == ["received", "merged"]
    assert AuditRecord.objects.filter(action="ticket.merged", object_id=str(ticket.pk)).count() == 1
    page = client.get(merged["Location"])
    assert page.context["master"].pk == existing.pk


def test_a_refused_merge_at_intake_takes_nothing_in_and_keeps_what_was_typed(client, org, frozen):
    from tickets import services

    existing = make_ticket(org, received_at=NOW - dt.timedelta(days=10))
    client.force_login(org.dispatcher)
    data = intake_data(complainant_phone="13812345678", respondent_name="某某教育科技有限公司")
    client.post(reverse("tickets:intake"), data)
    other = make_ticket(org, received_at=NOW - dt.timedelta(days=9))
    services.ticket_merge(existing, into=other, actor=org.dispatcher)  # meanwhile a colleague merged it

    refused = client.post(reverse("tickets:intake"), data | {"merge_into": str(existing.pk)})

    assert refused.status_code == 409
    assert Ticket.objects.count() == 2
    body = refused.content.decode()
    assert "未登记" in body
    assert refused.context["form"]["content"].value() == data["content"]
    # the warning again, with the merge offered only into what can still take it
    assert [t.pk for t in refused.context["duplicates"]] == [other.pk]
    assert refused.context["merge_targets"] == {other.pk}


def test_confirmed_anyway_the_new_work_order_opens_on_its_duplicates(client, org, frozen):
    existing = make_ticket(org, received_at=NOW - dt.timedelta(days=10))
    client.force_login(org.dispatcher)
    data = intake_data(complainant_phone="13812345678", respondent_name="某某教育科技有限公司", confirm_duplicate="on")

    response = client.post(reverse("tickets:intake"), data)

    ticket = Ticket.objects.exclude(pk=existing.pk).get()
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk]) + "#duplicates"
    page = client.get(response["Location"])
    assert [t.pk for t in page.context["duplicates"]] == [existing.pk]
    assert f'id="form-merge-{existing.pk}"' in page.content.decode()


def test_the_merge_is_offered_only_to_whom_the_merge_rule_allows(org):
    from tickets.views.intake import may_merge_new

    assert may_merge_new(org.dispatcher) is True
    assert may_merge_new(org.handler) is False
    assert may_merge_new(org.chief) is False


def test_a_merge_at_intake_into_another_bureaus_work_order_is_refused(client, org, frozen):
    from org.tests.factories import make_org

    foreign = make_ticket(make_org("qp"), received_at=NOW - dt.timedelta(days=1))
    client.force_login(org.dispatcher)

    response = client.post(reverse("tickets:intake"), intake_data(merge_into=str(foreign.pk)))

    assert response.status_code == 409
    assert not Ticket.objects.filter(bureau=org.bureau).exists()
    assert Ticket.objects.get(pk=foreign.pk).merged_into_id is None
