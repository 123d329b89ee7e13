"""A step is one rule (tickets/rules.py): the ticket page and the staff API offer and refuse it alike."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tickets.models import Ticket, TicketEvent
from tickets.tests.test_views_detail import STEP_EVENT, _step_post, _ticket_for_step
from tickets.views.detail import STEPS, ticket_permissions

# the ticket page's tests' frozen clock (imported above), for every test here
pytestmark = pytest.mark.usefixtures("frozen")

API_STEP = {
    "first_contact": ("first-contact", {"contacted_at": "2026-10-09T08:30:00+08:00"}),
    "acceptance": ("acceptance", {"is_accepted": True}),
    "pause": ("pause", {"reason_code": "testing", "reason": "样品送检"}),
    "resume": ("resume", {}),
    "extension": ("extension-request", {"clock": "reply", "working_days": 5, "reason": "检测周期长"}),
    "return_request": ("return-request", {"reason_code": "not_jurisdiction", "reason": "属区外"}),
    "reporter_notice": ("reporter-notified", {"note": "电话告知"}),
}


def _api_post(user, ticket, step):
    api = APIClient()
    api.force_login(user)
    path, body = API_STEP[step]
    return api.post(f"/api/v1/staff/tickets/{ticket.pk}/{path}/", body, format="json")


@pytest.mark.parametrize("step", list(API_STEP))
def test_step_taken_again_is_refused_by_the_page_and_the_api_as_no_longer_at_this_step(client, org, step):
    ticket = _ticket_for_step(org, step)
    assert _api_post(org.handler, ticket, step).status_code == 200
    ticket = Ticket.objects.get(pk=ticket.pk)
    url_name, data = _step_post(step, ticket.version)
    client.force_login(org.handler)

    page = client.post(reverse(url_name, args=[ticket.pk]), data)
    api = _api_post(org.handler, ticket, step)

    assert (page.status_code, page["Location"]) == (302, reverse("tickets:detail", args=[ticket.pk]))
    assert (api.status_code, api.json()["error"]["code"]) == (409, "transition_not_allowed")
    assert TicketEvent.objects.filter(ticket=ticket, code=STEP_EVENT[step]).count() == 1


@pytest.mark.parametrize("step", list(API_STEP))
def test_step_by_a_user_without_its_role_is_forbidden_on_the_page_and_the_api(client, org, step):
    ticket = _ticket_for_step(org, step)
    url_name, data = _step_post(step, ticket.version)
    client.force_login(org.leader)  # the bureau leader sees every work order and takes no step

    page = client.post(reverse(url_name, args=[ticket.pk]), data)
    api = _api_post(org.leader, ticket, step)

    assert (page.status_code, api.status_code) == (403, 403)
    assert TicketEvent.objects.filter(ticket=ticket, code=STEP_EVENT[step]).count() == 0


def test_ticket_page_offers_the_steps_whose_rule_holds(org):
    ticket = _ticket_for_step(org, "pause")  # in progress, the handler's

    can = ticket_permissions(org.handler, ticket)

    offered = sorted(key for key in STEPS if can[key])
    # Within the objection window after the dispatch, the unit may also object to it (派单异议).
    assert offered == ["acceptance", "extension", "objection", "pause", "reply", "return_request", "upload"]


def test_staff_api_dispatch_sets_category_and_tags_as_the_dispatch_form_does(org):
    from tickets.tests.factories import make_ticket

    ticket = make_ticket(org)
    api = APIClient()
    api.force_login(org.dispatcher)

    response = api.post(
        f"/api/v1/staff/tickets/{ticket.pk}/dispatch/",
        {"unit": org.office_a.code, "category": "education", "tags": ["urgent", "mass"]},
        format="json",
    )

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert (ticket.unit, ticket.category.code, ticket.tags, ticket.is_urgent) == (
        org.office_a,
        "education",
        ["mass", "urgent"],
        True,
    )


def test_staff_api_dispatch_refuses_an_unknown_category(org):
    from tickets.tests.factories import make_ticket

    ticket = make_ticket(org)
    api = APIClient()
    api.force_login(org.dispatcher)

    response = api.post(
        f"/api/v1/staff/tickets/{ticket.pk}/dispatch/", {"unit": org.office_a.code, "category": "nope"}, format="json"
    )

    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["category"])
    assert Ticket.objects.get(pk=ticket.pk).status == "received"


def test_staff_api_dispatch_to_another_bureaus_unit_or_of_its_ticket_changes_nothing(org):
    from org.tests.factories import make_org
    from tickets.tests.factories import make_ticket

    ticket = make_ticket(org)
    other = make_org("qp")
    theirs = make_ticket(other)
    api = APIClient()
    api.force_login(org.dispatcher)
    body = {"unit": "yy", "category": "education", "tags": ["urgent"]}
    other.office_a.code = "qp-office"
    other.office_a.save()

    to_their_unit = api.post(
        f"/api/v1/staff/tickets/{ticket.pk}/dispatch/", body | {"unit": "qp-office"}, format="json"
    )
    their_ticket = api.post(f"/api/v1/staff/tickets/{theirs.pk}/dispatch/", body, format="json")

    assert (to_their_unit.status_code, their_ticket.status_code) == (400, 404)
    assert [(t.status, t.category_id, t.tags) for t in Ticket.objects.filter(pk__in=[ticket.pk, theirs.pk])] == [
        ("received", None, []),
        ("received", None, []),
    ]
