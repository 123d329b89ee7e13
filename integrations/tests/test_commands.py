from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from integrations.models import IntegrationClient
from org.tests.factories import make_org


def test_create_integration_client_prints_working_key_last(org):
    out = StringIO()

    call_command("create_integration_client", "12345 platform", stdout=out)

    key = out.getvalue().strip().splitlines()[-1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert IntegrationClient.objects.get().bureau == org.bureau
    assert api.get("/api/v1/hotline/updates/").json() == {"results": [], "next": None}
    assert IntegrationClient.objects.get().key_digest != key


def test_create_integration_client_needs_bureau_when_several(org):
    make_org("qp")

    with pytest.raises(CommandError):
        call_command("create_integration_client", "city", stdout=StringIO())


def test_create_integration_client_for_named_bureau(org):
    other = make_org("qp")

    call_command("create_integration_client", "city", "--bureau", "qp", stdout=StringIO())

    assert IntegrationClient.objects.get().bureau == other.bureau


def test_inactive_client_key_answers_401(org):
    out = StringIO()
    call_command("create_integration_client", "old", stdout=out)
    IntegrationClient.objects.update(is_active=False)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip().splitlines()[-1]}")

    response = api.get("/api/v1/hotline/updates/")

    assert response.status_code == 401
