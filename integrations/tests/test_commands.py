from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from integrations.models import IntegrationClient, key_digest
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


def test_client_deactivated_in_the_admin_is_refused_at_once(platform, integration, org):
    assert platform.get("/api/v1/hotline/updates/").status_code == 200  # the key is in this process's copy now
    client = integration[0]

    client.is_active = False
    client.save()

    assert platform.get("/api/v1/hotline/updates/").status_code == 401


def test_client_created_by_another_process_after_the_keys_were_loaded_is_accepted(platform, org):
    assert platform.get("/api/v1/hotline/updates/").status_code == 200  # this process's copy is loaded
    # bulk_create sends no signal: as if the command had run in another process
    IntegrationClient.objects.bulk_create(
        [
            IntegrationClient(
                name="12315 platform", bureau=org.bureau, key_digest=key_digest("k" * 40), key_prefix="kkkk"
            )
        ]
    )
    newcomer = APIClient()
    newcomer.credentials(HTTP_AUTHORIZATION=f"Token {'k' * 40}")

    assert newcomer.get("/api/v1/hotline/updates/").status_code == 200
