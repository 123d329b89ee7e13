"""Confidential work orders (保密): personal data fully hidden, revealed only to the role the settings name."""

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from org.tests.factories import make_org
from tickets.services import ticket_dispatch
from tickets.tests.factories import make_ticket


@pytest.fixture
def confidential(org):
    ticket = make_ticket(org, is_confidential=True)
    ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    return ticket


@pytest.mark.parametrize("person", ["dispatcher", "reviewer", "handler", "deputy", "leader", "admin"])
def test_confidential_ticket_is_not_revealed_to_those_who_usually_may(org, confidential, person):
    assert getattr(org, person).has_perm("tickets.reveal_personal_data", confidential) is False


def test_confidential_ticket_is_revealed_to_the_named_role(org, confidential):
    assert org.chief.has_perm("tickets.reveal_personal_data", confidential) is True


def test_ordinary_ticket_is_still_revealed_to_the_dispatcher(org):
    assert org.dispatcher.has_perm("tickets.reveal_personal_data", make_ticket(org)) is True


def test_confidential_reveal_follows_the_setting(org, confidential, settings):
    settings.HOTLINE_CONFIDENTIAL_REVEAL_ROLES = ["bureau_leader"]

    allowed = (
        org.chief.has_perm("tickets.reveal_personal_data", confidential),
        org.leader.has_perm("tickets.reveal_personal_data", confidential),
    )

    assert allowed == (False, True)


def test_confidential_ticket_is_not_revealed_to_another_bureaus_named_role(org, confidential):
    other = make_org("qp")

    assert other.chief.has_perm("tickets.reveal_personal_data", confidential) is False


def test_confidential_reveal_post_by_a_dispatcher_is_refused_and_shows_nothing(client, org, confidential):
    client.force_login(org.dispatcher)

    response = client.post(reverse("tickets:reveal", args=[confidential.pk]), {"field": "complainant_phone"})

    assert (response.status_code, "13812345678" in response.content.decode()) == (403, False)
    assert list(AuditRecord.objects.filter(action="personal_data.revealed").values_list("username", "result")) == [
        ("sj_dispatcher", "refused")
    ]


def test_confidential_reveal_post_by_the_named_role_shows_the_value_and_is_recorded(client, org, confidential):
    client.force_login(org.chief)

    response = client.post(reverse("tickets:reveal", args=[confidential.pk]), {"field": "complainant_phone"})

    assert (response.status_code, "13812345678" in response.content.decode()) == (200, True)
    assert AuditRecord.objects.get(action="personal_data.revealed").username == "sj_chief"


def test_confidential_ticket_page_hides_even_the_masked_parts(client, org, confidential):
    client.force_login(org.dispatcher)

    body = client.get(reverse("tickets:detail", args=[confidential.pk])).content.decode()

    assert ("138****5678" in body, "张*" in body, "31*************234" in body, "******" in body) == (
        False,
        False,
        False,
        True,
    )


def test_confidential_ticket_in_the_staff_api_hides_even_the_masked_parts(client, org, confidential):
    client.force_login(org.dispatcher)

    body = client.get(f"/api/v1/staff/tickets/{confidential.pk}/").json()

    assert (body["complainant_name"], body["complainant_phone"]) == ("******", "******")


def test_ordinary_ticket_in_the_staff_api_shows_the_usual_masks(client, org):
    ticket = make_ticket(org)
    client.force_login(org.dispatcher)

    body = client.get(f"/api/v1/staff/tickets/{ticket.pk}/").json()

    assert (body["complainant_name"], body["complainant_phone"]) == ("张*", "138****5678")


@pytest.mark.parametrize(
    ("phone", "expected"),
    [("13812345678", "138****5678"), ("02157812345", "021****2345"), ("57812345", "******45"), ("12345", "***45")],
)
def test_mask_phone_never_shows_more_than_seven_digits_or_most_of_a_short_number(phone, expected):
    from tickets.masking import mask_phone

    assert mask_phone(phone) == expected
