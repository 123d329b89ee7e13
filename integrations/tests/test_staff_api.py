"""The staff API refuses an integration key (403, not 401: the key is known, the endpoint is not for it)."""

from rest_framework.test import APIClient

from integrations.services import integration_client_create
from tickets.models import Ticket
from tickets.tests.factories import make_ticket
from tickets.tests.test_api_staff import LIST, detail_url
from tickets.tests.test_api_staff_screens import API, _every_endpoint


def test_staff_api_refuses_integration_key(org):
    _client, key = integration_client_create(name="12345")
    ticket = make_ticket(org)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    listing = api.get(LIST)
    detail = api.get(detail_url(ticket))
    action = api.post(detail_url(ticket, "dispatch"), {"unit": "yy"}, format="json")

    assert (listing.status_code, detail.status_code, action.status_code) == (403, 403, 403)
    assert listing.json()["error"]["code"] == "permission_denied"
    assert Ticket.objects.get(pk=ticket.pk).status == "received"


def test_staff_new_endpoints_refuse_an_integration_key(org):
    _client, key = integration_client_create(name="12345")
    ticket, gets, posts = _every_endpoint(org)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    answers = {path: api.get(API + path).status_code for path in gets}
    answers |= {path: api.post(API + path, {}, format="json").status_code for path in posts}

    assert answers == dict.fromkeys(gets + posts, 403)
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version
