"""The one writer of audit records (audit_record) and the retention sweep (audit_prune).

A record is written in the caller's transaction: the action and its record are committed together or not at
all. When the record cannot be written the exception reaches the caller, so the action fails rather than
happen unrecorded (a personal-data reveal that cannot be audited is not shown). Nothing here catches it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.choices import Action, Result
from audit.middleware import client_address, current_request, refusal_recorded
from audit.models import AuditRecord

_FROM_REQUEST = object()


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    action: str,
    *,
    actor=_FROM_REQUEST,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    result: str = Result.OK,
    data: dict | None = None,
    username: str | None = None,
    request=None,
    at: dt.datetime | None = None,
) -> AuditRecord:
    """Record one action. `data` holds codes and ids, never prose or personal data.

    The actor is the signed-in user of the request being served unless given (None: the system, e.g. a
    task). The address and user agent come from `request`, else from the request being served (audit's
    middleware), else stay empty. `username` overrides the snapshot (a failed sign-in's attempted name).
    """
    request = request if request is not None else current_request()
    if actor is _FROM_REQUEST:
        user = getattr(request, "user", None) if request is not None else None
        actor = user if user is not None and user.is_authenticated else None
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    ip, agent = None, ""
    if request is not None:
        ip = client_address(request)
        try:
            ipaddress.ip_address(ip or "")
        except ValueError:
            ip = None  # a test client's or a misconfigured proxy's placeholder is no address
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    if result == Result.REFUSED and request is not None:
        refusal_recorded(request)  # the refusal middleware writes no second record for this request
    return AuditRecord.objects.create(
        at=at or timezone.now(),
        user_id=actor.pk if actor is not None else None,
        username=(username if username is not None else (actor.get_username() if actor is not None else ""))[:150],
        action=action,
        result=result,
        object_type=object_type,
        object_id=str(object_id)[:64],
        data=data or {},
        ip_address=ip,
        user_agent=agent,
    )


def audit_retention_days() -> int:
    # settings.py enforces the floor too; this one guards a value patched in or set in another settings module.
    return max(settings.HOTLINE_AUDIT_RETENTION_DAYS, 180)


def _retention_switch(value: str) -> None:
    """Let this transaction delete audit records ("on") or not ("off"): the database guards of migrations
    0002 (PostgreSQL: a transaction-local setting) and 0003 (SQLite: a row of audit_retention_switch)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('hotline.audit_retention', %s, true)", [value])
        elif connection.vendor == "sqlite":
            cursor.execute("DELETE FROM audit_retention_switch")
            if value == "on":
                cursor.execute("INSERT INTO audit_retention_switch (is_on) VALUES (1)")


def audit_prune(*, now: dt.datetime | None = None, batch_size: int = 5000) -> int:
    """Remove the records older than the retention period; the removal itself is recorded. Returns the count.

    On PostgreSQL and SQLite a trigger refuses every UPDATE and DELETE on the table unless the transaction
    has switched retention on (migrations 0002 and 0003); only this function does, for its own transaction.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=audit_retention_days())
    removed = 0
    while True:
        with transaction.atomic():
            _retention_switch("on")
            batch = AuditRecord.objects.filter(at__lt=cutoff).order_by("at").values_list("pk", flat=True)
            ids = list(batch[:batch_size])
            if ids:
                removed += AuditRecord.objects.filter(pk__in=ids).delete()[0]
            # SET LOCAL lasts to the end of the outermost transaction: switched off again at once, in case
            # this runs inside a caller's transaction.
            _retention_switch("off")
        if len(ids) < batch_size:
            break
    audit_record(
        Action.AUDIT_PRUNED,
        actor=None,
        data={"removed": removed, "before": cutoff.isoformat(), "retention_days": audit_retention_days()},
        at=now,
    )
    return removed
