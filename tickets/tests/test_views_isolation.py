"""Another unit's work order does not exist for you: page, list, attachment and every action answer 404."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tickets import services
from tickets.models import Attachment, TicketEvent
from tickets.tests.factories import make_ticket

ACTIONS = [
    "dispatch",
    "recall",
    "accept",
    "first_contact",
    "reply",
    "acceptance",
    "reporter_notice",
    "pause",
    "resume",
    "extension",
    "return_request",
    "reveal",
    "attachment_upload",
]


@pytest.fixture
def ticket_of_unit_a(org, settings, tmp_path, frozen):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    ticket = make_ticket(org)
    ticket = services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
    ticket = services.ticket_accept(ticket, actor=org.handler)
    ticket = services.ticket_record_first_contact(ticket, actor=org.handler)
    attachment = Attachment(
        ticket=ticket, original_name="a.pdf", content_type="application/pdf", size=9, uploaded_at=timezone.now()
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    yield ticket


def test_other_unit_gets_404_on_the_ticket_page(client, org, ticket_of_unit_a):
    client.force_login(org.handler_b)

    response = client.get(reverse("tickets:detail", args=[ticket_of_unit_a.pk]))

    assert response.status_code == 404


def test_other_unit_gets_404_on_the_attachment(client, org, ticket_of_unit_a):
    attachment = ticket_of_unit_a.attachments.get()
    client.force_login(org.deputy_b)

    response = client.get(reverse("tickets:attachment", args=[ticket_of_unit_a.pk, attachment.pk]))

    assert response.status_code == 404


def test_attachment_under_another_ticket_id_is_404(client, org, ticket_of_unit_a):
    attachment = ticket_of_unit_a.attachments.get()
    other = services.ticket_dispatch(make_ticket(org), unit=org.office_b, actor=org.dispatcher)
    client.force_login(org.handler_b)

    response = client.get(reverse("tickets:attachment", args=[other.pk, attachment.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("url_name", ["tickets:list", "tickets:unit_queue", "tickets:my_work"])
def test_other_unit_does_not_see_it_in_lists(client, org, ticket_of_unit_a, url_name):
    client.force_login(org.handler_b)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert list(response.context["tickets"]) == []
    assert ticket_of_unit_a.external_id not in response.content.decode()


@pytest.mark.parametrize("action", ACTIONS)
def test_other_unit_gets_404_on_every_action(client, org, ticket_of_unit_a, action):
    client.force_login(org.handler_b)
    events_before = TicketEvent.objects.filter(ticket=ticket_of_unit_a).count()

    response = client.post(
        reverse(f"tickets:{action}", args=[ticket_of_unit_a.pk]),
        {"version": ticket_of_unit_a.version, "field": "complainant_phone"},
    )

    assert response.status_code == 404
    assert TicketEvent.objects.filter(ticket=ticket_of_unit_a).count() == events_before


def test_other_unit_gets_404_deciding_a_request(client, org, ticket_of_unit_a):
    request = services.ticket_request_extension(
        ticket_of_unit_a, actor=org.handler, clock="reply", working_days=3, reason="送检"
    )
    client.force_login(org.deputy_b)

    response = client.post(reverse("tickets:request_decide", args=[request.pk]), {"is_approved": "1"})

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


def test_another_bureau_gets_404_even_as_dispatcher(client, org, ticket_of_unit_a):
    from org.tests.factories import make_org

    other = make_org("qp")
    client.force_login(other.dispatcher)

    page = client.get(reverse("tickets:detail", args=[ticket_of_unit_a.pk]))
    dispatch = client.post(reverse("tickets:dispatch", args=[ticket_of_unit_a.pk]), {"version": 1})

    assert (page.status_code, dispatch.status_code) == (404, 404)


def test_same_unit_without_the_right_role_is_forbidden(client, org, ticket_of_unit_a):
    client.force_login(org.deputy)  # sees the ticket, but replying is the handler's

    response = client.post(reverse("tickets:reply", args=[ticket_of_unit_a.pk]), {"version": ticket_of_unit_a.version})

    assert response.status_code == 403


def test_same_unit_without_the_right_role_posting_a_made_up_newer_version_is_forbidden(client, org, ticket_of_unit_a):
    client.force_login(org.deputy)

    response = client.post(
        reverse("tickets:reply", args=[ticket_of_unit_a.pk]), {"version": ticket_of_unit_a.version + 5}
    )

    assert response.status_code == 403


def test_bureau_leader_who_never_takes_steps_is_forbidden_with_the_current_version(client, org, ticket_of_unit_a):
    client.force_login(org.leader)  # sees every ticket of the bureau, takes no step

    response = client.post(
        reverse("tickets:acceptance", args=[ticket_of_unit_a.pk]),
        {"acceptance-version": ticket_of_unit_a.version, "acceptance-is_accepted": "1"},
    )

    assert response.status_code == 403


def test_other_unit_posting_an_old_version_still_gets_404(client, org, ticket_of_unit_a):
    client.force_login(org.handler_b)

    response = client.post(
        reverse("tickets:accept", args=[ticket_of_unit_a.pk]), {"accept-version": ticket_of_unit_a.version - 1}
    )

    assert response.status_code == 404


def test_second_click_on_a_step_already_taken_says_so_and_shows_the_ticket(client, org):
    # QA: the second click of 签收 answered the 403 page (the first had made the handler the ticket's own).
    ticket = services.ticket_dispatch(make_ticket(org), unit=org.office_a, actor=org.dispatcher)
    shown_version = ticket.version
    client.force_login(org.handler)
    first = client.post(reverse("tickets:accept", args=[ticket.pk]), {"accept-version": shown_version})

    again = client.post(reverse("tickets:accept", args=[ticket.pk]), {"accept-version": shown_version}, follow=True)

    assert first.status_code == 302
    assert again.redirect_chain == [(reverse("tickets:detail", args=[ticket.pk]), 302)]
    assert [str(m) for m in again.context["messages"]] == [
        "已签收，您是该工单的承办人。",
        "该工单已不在此环节，请刷新。",
    ]
    assert TicketEvent.objects.filter(ticket=ticket, code="accepted").count() == 1
