"""The whole published schema, fuzzed by schemathesis through WSGI: no 5xx, every answer matches the schema."""

import itertools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from hotline.wsgi import application
from integrations.services import integration_client_create
from tickets.tests.factories import make_ticket

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


def test_schema_is_served_without_authentication(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Hotline API"
    assert "/api/v1/hotline/tickets/" in response.json()["paths"]


def test_docs_page_is_served(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


@pytest.fixture
def _in_test_transaction():
    # Like Django's test client: the WSGI app must not close the test's connection after each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(org, django_settings_rate, _in_test_transaction):
    _client, key = integration_client_create(name="fuzz")
    tickets = [make_ticket(org) for _ in range(2)]
    browser = Client()
    browser.force_login(org.dispatcher)
    csrf = _get_new_csrf_string()
    return {
        "token": {"Authorization": f"Token {key}"},
        "session": {"X-CSRFToken": csrf},
        "cookies": {"sessionid": browser.cookies["sessionid"].value, "csrftoken": csrf},
        "tickets": tickets,
        "calls": itertools.count(),
    }


@pytest.fixture
def django_settings_rate(settings):
    settings.HOTLINE_API_RATE = "100000/s"


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_conform_and_never_fail(case, credentials):
    is_staff = case.path.startswith("/api/v1/staff/")
    # Every other call aims at a work order that exists, so that answers with bodies are checked too.
    if next(credentials["calls"]) % 2 and case.path_parameters:
        ticket = credentials["tickets"][0]
        for name, value in {"id": ticket.pk, "source": ticket.source, "external_id": ticket.external_id}.items():
            if name in case.path_parameters:
                case.path_parameters[name] = value

    case.call_and_validate(
        headers=credentials["session"] if is_staff else credentials["token"],
        cookies=credentials["cookies"] if is_staff else None,
        checks=[not_a_server_error, response_schema_conformance],
    )
