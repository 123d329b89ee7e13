"""Integration clients and the webhook: every write of this app."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.services import audit_record
from core.process_cache import ProcessCache
from integrations.models import IntegrationClient, key_digest
from org.models import Bureau
from tickets.choices import DeliveryStatus, Status
from tickets.models import StatusUpdate

logger = logging.getLogger(__name__)


def integration_client_create(*, name: str, bureau_code: str | None = None) -> tuple[IntegrationClient, str]:
    """Create a client for one bureau (the only one when not named); return it with its key, shown once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the client a name.")})
    if IntegrationClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A client with this name exists already.")})
    if bureau_code:
        bureau = Bureau.objects.filter(code=bureau_code).first()
        if bureau is None:
            raise ValidationError({"bureau": _("No bureau has this code.")})
    else:
        bureaus = list(Bureau.objects.all()[:2])
        if len(bureaus) != 1:
            raise ValidationError({"bureau": _("Name the bureau (--bureau CODE): there is not exactly one.")})
        bureau = bureaus[0]
    key = secrets.token_hex(20)
    client = IntegrationClient.objects.create(name=name, bureau=bureau, key_digest=key_digest(key), key_prefix=key[:8])
    return client, key


def _active_clients_load() -> dict[str, IntegrationClient]:
    return {c.key_digest: c for c in IntegrationClient.objects.select_related("bureau").filter(is_active=True)}


# Every request of a platform is authenticated by its key: the active clients (a handful) are kept per
# process (core.process_cache), dropped when a client is saved or deleted. Other processes notice a
# deactivated key within KEY_CACHE_SECONDS, shorter than the reference data's minute because it is a credential.
KEY_CACHE_SECONDS = 10
_active_clients: ProcessCache[dict[str, IntegrationClient]] = ProcessCache(
    _active_clients_load, invalidated_by=[IntegrationClient], seconds=KEY_CACHE_SECONDS
)


def integration_client_for_key(key: str) -> IntegrationClient | None:
    digest = key_digest(key)
    client = _active_clients.get().get(digest)
    if client is None:
        # A key made since the copy was loaded (by the command, in another process), or a wrong one: ask.
        client = IntegrationClient.objects.select_related("bureau").filter(key_digest=digest, is_active=True).first()
        if client is not None:
            _active_clients.invalidate()
    return client


# ---------------------------------------------------------------- each client's webhook, set by an administrator


def client_webhook_set(client: IntegrationClient, *, actor, url: str) -> IntegrationClient:
    """The address this client takes our updates at (empty: the settings' address). Audited."""
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError({"webhook_url": _("The address must start with https:// or http://.")})
    if url and not client.webhook_secret:
        raise ValidationError({"webhook_url": _("Make the secret first: updates are signed with it.")})
    before = client.webhook_url
    client.webhook_url = url
    client.save(update_fields=["webhook_url"])
    audit_record(
        Action.WEBHOOK_CHANGED,
        actor=actor,
        obj=client,
        data={"op": "address", "client": client.pk, "had_address": bool(before), "has_address": bool(url)},
    )
    return client


def client_webhook_secret_rotate(client: IntegrationClient, *, actor) -> str:
    """A new signing secret for this client, returned to be shown once; the old one stops at once. Audited."""
    secret = secrets.token_urlsafe(32)
    client.webhook_secret = secret
    client.webhook_secret_set_at = timezone.now()
    client.save(update_fields=["webhook_secret", "webhook_secret_set_at"])
    audit_record(Action.WEBHOOK_CHANGED, actor=actor, obj=client, data={"op": "secret", "client": client.pk})
    return secret


def webhook_target(update: StatusUpdate) -> tuple[str, str]:
    """(address, secret) for an update: its bureau's platform client with an address set, else the settings'."""
    client = (
        IntegrationClient.objects.filter(bureau_id=update.ticket.bureau_id, is_active=True)
        .exclude(webhook_url="")
        .order_by("id")
        .only("webhook_url", "webhook_secret")
        .first()
    )
    if client is not None:
        return client.webhook_url, client.webhook_secret
    return settings.HOTLINE_WEBHOOK_URL, settings.HOTLINE_WEBHOOK_SECRET


def webhook_configured() -> bool:
    return (
        bool(settings.HOTLINE_WEBHOOK_URL)
        or IntegrationClient.objects.filter(is_active=True).exclude(webhook_url="").exists()
    )


# ---------------------------------------------------------------- the webhook (outbox delivery)


def update_payload(update: StatusUpdate) -> dict:
    """One update as the feed and the webhook show it."""
    payload = {
        "update_id": update.pk,
        "source": update.ticket.source,
        "external_id": update.ticket.external_id,
        "status": update.status,
        "updated_at": timezone.localtime(update.updated_at).isoformat(),
    }
    if update.status == Status.COMPLETED:
        payload["reply"] = update.reply
    return payload


def webhook_signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.HOTLINE_WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def _post(url: str, body: bytes, signature: str) -> None:
    if not url.startswith(("https://", "http://")):
        raise ValueError("the webhook address must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Hotline-Signature": signature, "User-Agent": "Hotline"},
    )
    with urllib.request.urlopen(request, timeout=settings.HOTLINE_WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310 - the operator's setting  # nosec B310
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not acknowledged", response.headers, None)


def update_deliver(update: StatusUpdate, *, now: dt.datetime | None = None) -> bool:
    """One attempt: post the update; on failure schedule the next try with backoff, or give up after the last."""
    now = now or timezone.now()
    # Claim it (compare-and-set on the due time) so that two workers never send the same attempt.
    lease = now + dt.timedelta(seconds=settings.HOTLINE_WEBHOOK_TIMEOUT_SECONDS * 2)
    claimed = StatusUpdate.objects.filter(
        pk=update.pk, delivery_status=DeliveryStatus.PENDING, next_attempt_at=update.next_attempt_at
    ).update(next_attempt_at=lease)
    if not claimed:
        return False
    body = json.dumps(update_payload(update), ensure_ascii=False, separators=(",", ":")).encode()
    try:
        url, secret = webhook_target(update)
        _post(url, body, webhook_signature(body, secret))
    except (OSError, ValueError, urllib.error.URLError) as error:  # HTTPError and timeouts are OSErrors
        attempts = update.attempts + 1
        given_up = attempts >= settings.HOTLINE_WEBHOOK_MAX_ATTEMPTS
        StatusUpdate.objects.filter(pk=update.pk).update(
            attempts=attempts,
            last_error=str(error)[:500],
            delivery_status=DeliveryStatus.UNDELIVERED if given_up else DeliveryStatus.PENDING,
            next_attempt_at=None if given_up else now + _retry_delay(attempts),
        )
        logger.warning("webhook: update %s attempt %s failed: %s", update.pk, attempts, error)
        return False
    StatusUpdate.objects.filter(pk=update.pk).update(
        attempts=update.attempts + 1, delivery_status=DeliveryStatus.DELIVERED, next_attempt_at=None, last_error=""
    )
    return True


def updates_deliver_due(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due, oldest first. The first failure stops the round, so the platform sees updates in order."""
    counts = {"delivered": 0, "failed": 0}
    if not webhook_configured():
        return counts
    now = now or timezone.now()
    due = (
        StatusUpdate.objects.select_related("ticket")
        .filter(delivery_status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("id")[:limit]
    )
    for update in due:
        if update_deliver(update, now=now):
            counts["delivered"] += 1
        else:
            counts["failed"] += 1
            break
    return counts


def updates_retry(*, update_ids: list[int]) -> int:
    """An administrator sends undelivered updates again: a fresh series of attempts, due at once."""
    with transaction.atomic():
        return StatusUpdate.objects.filter(pk__in=update_ids, delivery_status=DeliveryStatus.UNDELIVERED).update(
            delivery_status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
