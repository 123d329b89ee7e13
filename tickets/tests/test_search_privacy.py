"""The search text (a phone or ID number) never travels in an address: the form posts it, the session keeps
it, the results' address carries a token (tickets.views.lists.SearchView)."""

from django.urls import reverse

from tickets.models import Ticket
from tickets.tests.factories import make_ticket

PHONE = "13912345678"


def ticket_with(org, content: str) -> Ticket:
    ticket = make_ticket(org)
    Ticket.objects.filter(pk=ticket.pk).update(content=content)
    return ticket


def search(client, **data):
    return client.post(reverse("tickets:list"), {"q": "", "status": "", **data})


def test_searching_a_phone_number_puts_no_digit_of_it_in_the_address(client, org):
    wanted = ticket_with(org, f"来电人补充号码 {PHONE}")
    ticket_with(org, "无关")
    client.force_login(org.dispatcher)

    posted = search(client, q=PHONE, status="received")
    page = client.get(posted["Location"])

    assert posted.status_code == 302
    assert not [PHONE[i : i + 4] for i in range(len(PHONE) - 3) if PHONE[i : i + 4] in posted["Location"]]
    assert "status=received" in posted["Location"] and "s=" in posted["Location"]
    assert [row.pk for row in page.context["tickets"]] == [wanted.pk]
    assert page.context["filter"].form["q"].value() == PHONE  # the box still shows what was typed


def test_the_results_address_pages_and_reloads_with_the_same_text(client, org):
    for _ in range(3):
        ticket_with(org, f"号码 {PHONE}")
    client.force_login(org.dispatcher)
    location = search(client, q=PHONE)["Location"]

    again = client.get(location)
    second_page = client.get(location + "&page=2")

    assert [len(again.context["tickets"]), second_page.status_code] == [3, 200]
    assert search(client, q=PHONE)["Location"] == location  # the same text, the same token: history stays tidy


def test_a_search_link_with_the_text_in_it_is_sent_to_a_token_address(client, org):
    client.force_login(org.dispatcher)

    response = client.get(reverse("tickets:list"), {"q": PHONE, "kind": "complaint"})

    assert response.status_code == 302 and PHONE not in response["Location"]
    assert "kind=complaint" in response["Location"]


def test_a_token_of_another_session_searches_without_the_text_and_says_so(client, org):
    client.force_login(org.dispatcher)
    location = search(client, q=PHONE)["Location"]
    client.logout()
    client.force_login(org.dispatcher)

    page = client.get(location)

    assert page.status_code == 200
    assert page.context["filter"].form["q"].value() in (None, "")
    assert "请重新输入" in page.content.decode()


def test_an_empty_search_goes_to_the_plain_list(client, org):
    client.force_login(org.dispatcher)

    assert search(client)["Location"] == reverse("tickets:list")


def test_the_staff_api_takes_the_search_text_from_a_header(org):
    from rest_framework.test import APIClient

    wanted = ticket_with(org, f"来电人补充号码 {PHONE}")
    ticket_with(org, "无关")
    api = APIClient()
    api.force_login(org.dispatcher)

    response = api.get("/api/v1/staff/tickets/", HTTP_X_HOTLINE_SEARCH=PHONE)
    chinese = api.get("/api/v1/staff/tickets/", HTTP_X_HOTLINE_SEARCH="%E6%97%A0%E5%85%B3")  # 无关

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]
    assert len(chinese.json()["results"]) == 1 and chinese.json()["results"][0]["id"] != wanted.pk
