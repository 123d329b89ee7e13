"""Issue 18, item 8: each platform client's webhook address and secret, set by an administrator on a staff
page (audited, the secret shown once), instead of only the environment and a restart."""

import hashlib
import hmac

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditRecord
from core.browser import chromium_page, screenshot, sign_in
from integrations.models import IntegrationClient
from integrations.services import (
    client_webhook_secret_rotate,
    client_webhook_set,
    integration_client_create,
    updates_deliver_due,
)
from integrations.tests.test_webhook import Platform
from org.tests.factories import PASSWORD
from tickets.models import StatusUpdate
from tickets.tests.factories import make_ticket


@pytest.fixture
def listening(settings):
    platform = Platform()
    platform.thread.start()
    settings.HOTLINE_WEBHOOK_URL = ""
    settings.HOTLINE_WEBHOOK_SECRET = ""
    yield platform
    platform.server.shutdown()
    platform.server.server_close()


@pytest.mark.django_db
def test_the_clients_address_and_secret_sign_and_carry_its_updates(org, listening):
    client, _key = integration_client_create(name="12345 平台", bureau_code=org.bureau.code)
    with pytest.raises(ValidationError):
        client_webhook_set(client, actor=org.admin, url=listening.url)  # no secret yet: nothing could sign
    secret = client_webhook_secret_rotate(client, actor=org.admin)
    client_webhook_set(client, actor=org.admin, url=listening.url)
    make_ticket(org)
    update = StatusUpdate.objects.get()

    counts = updates_deliver_due(now=update.next_attempt_at)

    headers, body = listening.received[0]
    assert counts == {"delivered": 1, "failed": 0}
    assert headers["X-Hotline-Signature"] == hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert AuditRecord.objects.filter(action="integration.webhook_changed").count() == 2


@pytest.mark.django_db
def test_only_administrators_reach_the_clients_page(client, org):
    integration_client_create(name="12315 平台", bureau_code=org.bureau.code)
    answers = {}
    for user in (org.admin, org.reviewer, org.dispatcher):
        client.force_login(user)
        answers[user.username] = client.get("/integrations/clients/").status_code

    assert list(answers.values()) == [200, 403, 403]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_administrator_sets_the_webhook_and_sees_the_secret_once(live_server, org):
    platform_client, _key = integration_client_create(name="12345 市民热线", bureau_code=org.bureau.code)
    base = live_server.url
    with chromium_page(width=1440, height=900) as page:
        sign_in(page, base, org.admin.username, PASSWORD)
        page.click("nav.mainnav >> text=平台对接")
        page.click("[data-testid=clients] a >> text=推送地址")
        page.fill("#form-webhook input[name=webhook_url]", "https://12345.example.gov.cn/hotline/updates")
        page.click("#form-webhook button[type=submit]")
        page.wait_for_selector("#form-webhook .error")
        assert "先生成密钥" in page.locator("#form-webhook").inner_text()
        # what was typed is kept
        assert "12345.example.gov.cn" in page.locator("#form-webhook input[name=webhook_url]").input_value()
        page.click("#form-rotate button[type=submit]")
        secret = page.locator("[data-testid=new-secret] code").inner_text()
        assert len(secret) >= 40 and "仅显示这一次" in page.locator("[data-testid=new-secret]").inner_text()
        screenshot(page, "integrations-client-webhook-secret-once")
        page.fill("#form-webhook input[name=webhook_url]", "https://12345.example.gov.cn/hotline/updates")
        page.click("#form-webhook button[type=submit]")
        page.wait_for_selector(".message-success")
        assert "12345.example.gov.cn" in page.locator("[data-testid=clients]").inner_text()
        page.click("[data-testid=clients] a >> text=推送地址")
        assert page.locator("[data-testid=new-secret]").count() == 0 and secret not in page.content()
        screenshot(page, "integrations-clients")

    stored = IntegrationClient.objects.get(pk=platform_client.pk)
    assert (stored.webhook_url, stored.webhook_secret) == ("https://12345.example.gov.cn/hotline/updates", secret)
