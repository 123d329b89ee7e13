"""Notifications: store first, send after commit, never let the broker slow a request.

A notification is a row before it is anything else. After the transaction commits, its id is
published to Celery with retries off and short timeouts; if the broker is down the publish fails
fast, is logged, and the row stays pending. `notifications_send_pending` (on beat) sends anything
still pending, so nothing is lost; a claim token keeps two senders from sending one row twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from notifications.backends import sms_backend
from notifications.messages import render
from notifications.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# Rows claimed and sent at a time, by a task and by the sweep: a claim is taken shortly before the send, and the
# sweep goes on batch after batch until nothing is left (a backlog drains as fast as the channels take it).
BATCH_SIZE = 100


def claim_lease() -> dt.timedelta:
    """A claimed row not marked sent after this long belongs to a dead sender (a killed worker): the sweep sends it
    again. A live sender renews its claims every third of the lease, so only a single send that takes longer than
    two thirds of it could be sent twice (NOTIFICATIONS_CLAIM_LEASE_SECONDS, docs/reminders.md)."""
    return dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS)


def notification_send(users: Iterable, *, code: str, data: dict, ticket=None) -> list[Notification]:
    """Store one notification per distinct active user and send them after the transaction commits.

    `users`: User objects (or ids); `code`: e.g. "escalation.tier1", "ticket.urged"; `data`: JSON,
    the values notifications.messages needs (never translated text). Returns the stored rows.
    """
    now = timezone.now()
    recipient_ids = []
    for user in users:
        user_id = getattr(user, "pk", user)
        if user_id is not None and user_id not in recipient_ids and getattr(user, "is_active", True):
            recipient_ids.append(user_id)
    rows = [
        Notification(recipient_id=user_id, code=code, data=data, ticket=ticket, created_at=now)
        for user_id in recipient_ids
    ]
    return notifications_store(rows)


def notifications_store(rows: list[Notification]) -> list[Notification]:
    """Insert prepared rows in one query and schedule their sending after commit."""
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]
    if ids:
        transaction.on_commit(lambda: notifications_publish(ids))
    return created


def notifications_store_values(rows: list[tuple[int, str, dict, int | None]], *, created_at) -> int:
    """Insert (recipient_id, code, data, ticket_id) rows without building model instances; sending is
    scheduled after commit as for notification_send."""
    return notifications_store_groups(
        [(code, data, ticket_id, [user_id]) for user_id, code, data, ticket_id in rows], created_at=created_at
    )


def notifications_store_groups(groups: list[tuple[str, dict, int | None, list[int]]], *, created_at) -> int:
    """Insert one row per recipient of each (code, data, ticket_id, recipient_ids) group (the sweep stores
    tens of thousands at once, a few recipients sharing each message). On PostgreSQL one statement:
    each group's data is serialized and cast to jsonb once, not once per recipient. Sending is
    scheduled after commit as for notification_send. Returns the number of rows stored."""
    groups = [group for group in groups if group[3]]
    if not groups:
        return 0
    if connection.vendor != "postgresql":
        stored = [
            Notification(recipient_id=user_id, code=code, data=data, ticket_id=ticket_id, created_at=created_at)
            for code, data, ticket_id, user_ids in groups
            for user_id in user_ids
        ]
        return len(notifications_store(stored))
    # The groups travel as one JSON document ([code, data, ticket_id, [recipient ids]] each): one
    # json.dumps and one parameter instead of a quoted array item per row.
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO notifications_notification
                    (recipient_id, code, data, ticket_id, created_at, attempts, channels, last_error)
                SELECT r.recipient_id::bigint, g.item->>0, g.item->1, (g.item->>2)::bigint, %s, 0, '[]'::jsonb, ''
                FROM jsonb_array_elements(%s::jsonb) AS g(item)
                CROSS JOIN jsonb_array_elements_text(g.item->3) AS r(recipient_id)
                RETURNING id""",
            [created_at, json.dumps(groups, cls=DjangoJSONEncoder, ensure_ascii=False)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    transaction.on_commit(lambda: notifications_publish(ids))
    return len(ids)


def notifications_store_unpublished(rows: list[tuple[int, str, dict]], *, created_at) -> list[int]:
    """Insert (recipient_id, code, data) rows, tied to no work order, without scheduling their sending:
    for a message that later transactions complete (the escalation sweep's digests, whose count grows
    batch by batch). The caller publishes the ids once the message is complete
    (notifications_publish_on_commit); if it never does, notifications_send_pending sends the rows as
    it sends any the broker never got. Returns the ids, in the order of `rows`."""
    stored = [
        Notification(recipient_id=user_id, code=code, data=data, created_at=created_at) for user_id, code, data in rows
    ]
    if connection.features.can_return_rows_from_bulk_insert:
        return [row.pk for row in Notification.objects.bulk_create(stored)]
    for row in stored:  # a database that cannot return the ids of a bulk insert (tests of the portable path)
        row.save(force_insert=True)
    return [row.pk for row in stored]


def notifications_data_update(data_by_id: dict[int, dict]) -> None:
    """Replace the data of stored rows in one query (a digest's count as the sweep goes on)."""
    if data_by_id:
        Notification.objects.bulk_update([Notification(pk=pk, data=data) for pk, data in data_by_id.items()], ["data"])


def notifications_publish_on_commit(ids: list[int]) -> None:
    """Send rows stored by notifications_store_unpublished once the current transaction commits (at once
    outside a transaction)."""
    if ids:
        ids = list(ids)
        transaction.on_commit(lambda: notifications_publish(ids))


def notifications_publish(ids: list[int]) -> bool:
    """Hand ids to the broker without waiting for it: a failure is logged, the rows stay pending.

    One try on a fresh connection with a short timeout (no pool, no retry): with the broker down
    this costs milliseconds (refused) or NOTIFICATIONS_PUBLISH_TIMEOUT_SECONDS (unreachable).
    """
    from hotline.celery import app
    from notifications.tasks import send_notifications

    timeout = settings.NOTIFICATIONS_PUBLISH_TIMEOUT_SECONDS
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
            send_notifications.apply_async(args=[ids], connection=connection, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure must leave the request unharmed
        logger.warning("broker unavailable: %d notification(s) left pending for the sweep", len(ids), exc_info=True)
        return False
    return True


def _claim(ids: list[int]) -> tuple[list[Notification], uuid.UUID]:
    """Mark pending rows as ours with a fresh token, so two senders never send the same row."""
    now = timezone.now()
    token = uuid.uuid4()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_lease())
    updated = (
        Notification.objects.filter(pk__in=ids, sent_at__isnull=True)
        .filter(claimable)
        .update(claimed_at=now, claim_token=token)
    )
    if not updated:
        return [], token
    rows = Notification.objects.filter(claim_token=token, sent_at__isnull=True).select_related("recipient")
    return list(rows.order_by("created_at", "pk")), token


def _renew(token: uuid.UUID) -> set[int]:
    """Renew our claim on the rows we have not sent yet; returns those still ours (another sender may have taken
    over a row whose lease ran out while earlier ones were being sent)."""
    unsent = Notification.objects.filter(claim_token=token, sent_at__isnull=True)
    unsent.update(claimed_at=timezone.now())
    return set(unsent.values_list("pk", flat=True))


def _deliver_one(notification: Notification) -> list[str]:
    user = notification.recipient
    message = render(notification.code, notification.data, language=user.language, viewer=user)
    channels = []
    if user.email:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [user.email])
        channels.append("email")
    if user.phone:
        sms_backend().send(phone=user.phone, text=f"{message.subject}. {message.body}")
        channels.append("sms")
    return channels


def notifications_deliver(*, ids: list[int]) -> int:
    """Send the given notifications by email and SMS (each at most once); returns how many were sent."""
    sent = 0
    for start in range(0, len(ids), BATCH_SIZE):
        rows, token = _claim(ids[start : start + BATCH_SIZE])
        ours, renewed_at = {row.pk for row in rows}, time.monotonic()
        for notification in rows:
            if time.monotonic() - renewed_at > claim_lease().total_seconds() / 3:
                ours, renewed_at = _renew(token), time.monotonic()
            if notification.pk not in ours:
                continue
            try:
                channels = _deliver_one(notification)
            except Exception as error:  # noqa: BLE001 - one bad address must not stop the others
                logger.exception("sending notification %s failed", notification.pk)
                Notification.objects.filter(pk=notification.pk, claim_token=token).update(
                    claimed_at=None,
                    claim_token=None,
                    attempts=notification.attempts + 1,
                    last_error=str(error)[:300],
                )
                continue
            Notification.objects.filter(pk=notification.pk).update(
                sent_at=timezone.now(), channels=channels, attempts=notification.attempts + 1, last_error=""
            )
            sent += 1
    return sent


def notifications_send_pending(*, now: dt.datetime | None = None) -> int:
    """Send what is still pending (the broker was down, a worker died): the safety net on beat.

    Every row past the grace and not held by a live claim, oldest first, batch after batch, each looked at once
    per run (a failing one waits for the next run); a run stops after HOTLINE_NOTIFICATION_RETRY_SECONDS so that
    runs do not pile up on beat, and the next one goes on where it stopped."""
    now = now or timezone.now()
    stop_at = time.monotonic() + settings.HOTLINE_NOTIFICATION_RETRY_SECONDS
    pending = Notification.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_lease()),
        sent_at__isnull=True,
        created_at__lte=now - dt.timedelta(seconds=settings.NOTIFICATIONS_PENDING_GRACE_SECONDS),
        attempts__lt=MAX_ATTEMPTS,
    ).order_by("created_at", "pk")
    sent = 0
    after = None
    while True:
        batch = pending
        if after is not None:
            batch = batch.filter(Q(created_at__gt=after[0]) | Q(created_at=after[0], pk__gt=after[1]))
        rows = list(batch.values_list("created_at", "pk")[:BATCH_SIZE])
        if not rows:
            break
        sent += notifications_deliver(ids=[pk for _at, pk in rows])
        after = rows[-1]
        if len(rows) < BATCH_SIZE or time.monotonic() >= stop_at:
            break
    return sent


def notification_mark_read(notification: Notification, *, user) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
