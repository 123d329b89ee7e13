import time

import pytest
from django.core import mail
from django.utils import timezone

from hotline.celery import app
from notifications import services
from notifications.backends import MemorySMSBackend
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms(settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.backends.MemorySMSBackend"
    MemorySMSBackend.outbox = []
    return MemorySMSBackend.outbox


@pytest.fixture
def broker_down(monkeypatch):
    # Nothing listens on this port: the broker is "down". Celery reads CELERY_BROKER_URL from the
    # environment before its own setting (CI sets it), so both are pointed there.
    down = "redis://127.0.0.1:6391/0"
    monkeypatch.setenv("CELERY_BROKER_URL", down)
    saved = app.conf.broker_url
    app.conf.broker_url = down
    yield
    app.conf.broker_url = saved


def urge(org, *users):
    return services.notification_send(users, code="ticket.urged", data={"external_id": "SH-1", "message": "请尽快办理"})


def test_notification_send_stores_one_row_per_person_and_publishes_after_commit(
    org, django_capture_on_commit_callbacks, monkeypatch
):
    published = []
    monkeypatch.setattr(services, "notifications_publish", lambda ids: published.append(ids))

    with django_capture_on_commit_callbacks(execute=True):
        rows = urge(org, org.handler, org.unit_leader, org.handler)

    assert [row.recipient_id for row in rows] == [org.handler.pk, org.unit_leader.pk]
    assert published == [[row.pk for row in rows]]
    assert Notification.objects.filter(sent_at__isnull=True).count() == 2


def test_deliver_sends_email_and_sms_in_the_recipients_language(org, sms):
    org.handler.email, org.handler.phone, org.handler.language = "h@example.gov.cn", "13900000001", "en"
    org.handler.save()
    org.unit_leader.email = "l@example.gov.cn"
    org.unit_leader.save()
    rows = urge(org, org.handler, org.unit_leader)

    sent = services.notifications_deliver(ids=[row.pk for row in rows])

    assert sent == 2
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("h@example.gov.cn", "The platform urges work order SH-1"),
        ("l@example.gov.cn", "平台督办工单 SH-1"),
    ]
    assert sms == [
        {
            "phone": "13900000001",
            "text": "The platform urges work order SH-1. The platform urges work order SH-1: 请尽快办理",
        }
    ]
    assert list(Notification.objects.order_by("recipient_id").values_list("channels", flat=True)) == [
        ["email", "sms"],
        ["email"],
    ]


def test_deliver_twice_sends_once(org):
    org.handler.email = "h@example.gov.cn"
    org.handler.save()
    ids = [row.pk for row in urge(org, org.handler)]

    first = services.notifications_deliver(ids=ids)
    second = services.notifications_deliver(ids=ids)

    assert (first, second, len(mail.outbox)) == (1, 0, 1)


def test_failed_channel_leaves_the_notification_pending_for_the_next_sweep(org, settings):
    settings.EMAIL_BACKEND = "notifications.tests.test_services.BrokenEmailBackend"
    org.handler.email = "h@example.gov.cn"
    org.handler.save()
    row = urge(org, org.handler)[0]

    sent = services.notifications_deliver(ids=[row.pk])

    row.refresh_from_db()
    assert (sent, row.sent_at, row.claimed_at, row.attempts, row.last_error) == (0, None, None, 1, "SMTP down")


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_publish_with_the_broker_down_fails_fast_and_keeps_rows_pending(org, broker_down):
    rows = urge(org, org.handler)

    started = time.monotonic()
    published = services.notifications_publish([row.pk for row in rows])
    elapsed = time.monotonic() - started

    assert (published, Notification.objects.filter(sent_at__isnull=True).count()) == (False, 1)
    assert elapsed < 2


def test_send_pending_sends_what_the_broker_never_got(org, broker_down, time_machine):
    import datetime as dt

    from django.utils import timezone

    org.handler.email = "h@example.gov.cn"
    org.handler.save()
    row = urge(org, org.handler)[0]
    services.notifications_publish([row.pk])

    time_machine.move_to(timezone.now() + dt.timedelta(minutes=1))
    sent = services.notifications_send_pending()

    row.refresh_from_db()
    assert (sent, row.channels, len(mail.outbox)) == (1, ["email"], 1)


def test_send_pending_leaves_fresh_rows_to_the_published_task(org):
    urge(org, org.handler)

    assert services.notifications_send_pending() == 0


def test_log_sms_backend_writes_the_message_to_the_log(caplog):
    from notifications.backends import LogSMSBackend

    with caplog.at_level("INFO", logger="notifications.sms"):
        LogSMSBackend().send(phone="13900000001", text="测试")

    # The handlers settings.LOGGING installs mask the number on the record itself (core.logging).
    assert caplog.messages == ["SMS to 139****0001: 测试"]


def test_mark_read_refuses_someone_elses_notification(org):
    row = urge(org, org.handler)[0]

    with pytest.raises(PermissionError):
        services.notification_mark_read(row, user=org.handler_b)


def test_store_groups_stores_one_row_per_recipient_sharing_the_groups_data(
    org, django_capture_on_commit_callbacks, monkeypatch
):
    published = []
    monkeypatch.setattr(services, "notifications_publish", lambda ids: published.append(sorted(ids)))
    created_at = timezone.now()
    groups = [
        (
            "escalation.tier2",
            {"tier": 2, "title": "预付卡退款", "due_at": "2026-10-15T15:59:59+00:00"},
            None,
            [org.handler.pk, org.deputy.pk],
        ),
        ("escalation.tier1", {"tier": 1, "title": 'Two\nlines "quoted"'}, None, [org.handler.pk]),
        ("escalation.tier3", {"tier": 3}, None, []),  # nobody to tell: no row
    ]

    with django_capture_on_commit_callbacks(execute=True):
        stored = services.notifications_store_groups(groups, created_at=created_at)

    rows = list(
        Notification.objects.order_by("code", "recipient_id").values_list("code", "recipient_id", "data", "created_at")
    )
    assert stored == 3
    assert rows == sorted(
        [
            ("escalation.tier1", org.handler.pk, {"tier": 1, "title": 'Two\nlines "quoted"'}, created_at),
            ("escalation.tier2", org.handler.pk, groups[0][1], created_at),
            ("escalation.tier2", org.deputy.pk, groups[0][1], created_at),
        ],
        key=lambda row: (row[0], row[1]),
    )
    assert published == [sorted(Notification.objects.values_list("pk", flat=True))]


def test_store_groups_with_nobody_to_tell_stores_nothing(org):
    stored = services.notifications_store_groups(
        [("escalation.tier1", {"tier": 1}, None, [])], created_at=timezone.now()
    )

    assert (stored, Notification.objects.count()) == (0, 0)


def test_store_unpublished_waits_for_the_caller_to_publish(org, django_capture_on_commit_callbacks, monkeypatch):
    published = []
    monkeypatch.setattr(services, "notifications_publish", lambda ids: published.append(sorted(ids)))

    with django_capture_on_commit_callbacks(execute=True):
        ids = services.notifications_store_unpublished(
            [(org.chief.pk, "escalation.digest", {"tier": 3, "work_orders": 60, "reminders": 60})],
            created_at=timezone.now(),
        )
        services.notifications_data_update({ids[0]: {"tier": 3, "work_orders": 75, "reminders": 80}})
    stored_only = list(published)
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_publish_on_commit(ids)

    assert (stored_only, published) == ([], [ids])
    assert Notification.objects.get().data == {"tier": 3, "work_orders": 75, "reminders": 80}


def test_digest_is_delivered_in_the_recipients_language_naming_their_page(org):
    org.chief.email, org.chief.language = "chief@example.gov.cn", "en"
    org.chief.save()
    org.unit_leader.email = "leader@example.gov.cn"
    org.unit_leader.save()
    ids = services.notifications_store_unpublished(
        [
            (org.chief.pk, "escalation.digest", {"tier": 3, "work_orders": 60, "reminders": 61}),
            (org.unit_leader.pk, "escalation.digest", {"tier": 3, "work_orders": 60, "reminders": 61}),
        ],
        created_at=timezone.now(),
    )

    services.notifications_deliver(ids=ids)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["chief@example.gov.cn"].subject == "Warning: 60 work orders are overdue"
    assert by_address["chief@example.gov.cn"].body.endswith("“Reminders by unit” counts them per unit.")
    assert by_address["leader@example.gov.cn"].subject == "预警：60 件工单已超期"
    assert by_address["leader@example.gov.cn"].body.endswith("可在“临期工单”中查看。")


def test_send_pending_leaves_a_claim_alone_until_its_lease_runs_out(org, sms, settings, time_machine):
    import datetime as dt

    settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS = 60
    org.handler.phone = "13900000001"
    org.handler.save()
    row = urge(org, org.handler)[0]
    claimed_at = timezone.now() + dt.timedelta(minutes=1)
    Notification.objects.filter(pk=row.pk).update(claimed_at=claimed_at, claim_token="0" * 32)  # a sender died

    time_machine.move_to(claimed_at + dt.timedelta(seconds=59))
    within_lease = services.notifications_send_pending()
    time_machine.move_to(claimed_at + dt.timedelta(seconds=61))
    after_lease = services.notifications_send_pending()

    assert (within_lease, after_lease, len(sms)) == (0, 1, 1)


def test_send_pending_drains_every_batch_in_one_run(org, sms, monkeypatch, time_machine):
    import datetime as dt

    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    org.handler.phone = "13900000001"
    org.handler.save()
    for _ in range(8):
        urge(org, org.handler)

    time_machine.move_to(timezone.now() + dt.timedelta(minutes=1))
    sent = services.notifications_send_pending()

    assert (sent, len(sms), Notification.objects.filter(sent_at__isnull=True).count()) == (8, 8, 0)


def test_send_pending_tries_a_failing_row_once_per_run(org, settings, time_machine):
    import datetime as dt

    settings.EMAIL_BACKEND = "notifications.tests.test_services.BrokenEmailBackend"
    org.handler.email = "h@example.gov.cn"
    org.handler.save()
    row = urge(org, org.handler)[0]

    time_machine.move_to(timezone.now() + dt.timedelta(minutes=1))
    sent = services.notifications_send_pending()

    row.refresh_from_db()
    assert (sent, row.attempts) == (0, 1)


class StealingSMSBackend:
    """Sends, and meanwhile another sender takes over every other row still claimed (their lease ran out)."""

    sent: list[str] = []

    def send(self, *, phone: str, text: str) -> None:
        type(self).sent.append(text)
        Notification.objects.filter(sent_at__isnull=True).update(claim_token="1" * 32)


def test_a_sender_whose_claim_was_taken_over_does_not_send_those_rows(org, settings, monkeypatch):
    import datetime as dt

    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.tests.test_services.StealingSMSBackend"
    StealingSMSBackend.sent = []
    monkeypatch.setattr(services, "claim_lease", lambda: dt.timedelta(0))  # renew before every row
    org.handler.phone = "13900000001"
    org.handler.save()
    ids = [urge(org, org.handler)[0].pk, urge(org, org.handler)[0].pk]

    sent = services.notifications_deliver(ids=ids)

    assert (sent, len(StealingSMSBackend.sent)) == (1, 1)
    assert Notification.objects.get(pk=ids[1]).sent_at is None
